// ImageMais Clinic: the few browser facts the server-side app asks for through JS interop.
window.clinic = {
  // The browser's time zone (IANA id) and the theme the person chose last (or their system's).
  preferences() {
    const stored = localStorage.getItem("clinic.theme");
    return {
      timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone || null,
      dark: stored ? stored === "dark" : window.matchMedia("(prefers-color-scheme: dark)").matches,
    };
  },

  rememberTheme(dark) {
    localStorage.setItem("clinic.theme", dark ? "dark" : "light");
  },

  // Copies text; true when it worked. The Clipboard API needs a secure context (https or localhost),
  // so a hidden text area and execCommand stand in elsewhere.
  async copyText(text) {
    try {
      if (navigator.clipboard && window.isSecureContext) {
        await navigator.clipboard.writeText(text);
        return true;
      }
    } catch {
      // fall through to the older way
    }
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    try {
      return document.execCommand("copy");
    } finally {
      area.remove();
    }
  },
};
