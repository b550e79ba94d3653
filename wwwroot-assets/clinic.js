// ImageMais Clinic: the few browser facts the server-side app asks for through JS interop.
window.clinic = {
  // The browser's time zone (IANA id) and the theme in use (theme.js chose it before the first paint).
  preferences() {
    return {
      timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone || null,
      dark: document.documentElement.classList.contains("clinic-dark"),
    };
  },

  // Switches the palette (the theme stylesheet's :root.clinic-dark) and remembers the choice.
  useTheme(dark) {
    document.documentElement.classList.toggle("clinic-dark", dark);
    localStorage.setItem("clinic.theme", dark ? "dark" : "light");
  },

  // The drawer lives in the browser alone: on wide screens the button hides it, on narrow ones it slides it in.
  toggleNav() {
    const root = document.documentElement;
    if (window.matchMedia("(min-width: 960px)").matches) {
      root.classList.toggle("nav-hidden");
    } else {
      root.classList.toggle("nav-shown");
    }
  },

  closeNav() {
    document.documentElement.classList.remove("nav-shown");
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

// On narrow screens, following a link in the drawer closes it.
document.addEventListener("click", event => {
  if (event.target instanceof Element && event.target.closest("#clinic-nav a")) {
    window.clinic.closeNav();
  }
});

// Grids drawn as plain markup name their controls' actions in data-grid-action (and data-id): a click on one
// becomes a "gridaction" event that bubbles to the page's one @ongridaction handler on the server. Its default is
// prevented, so a row's switch shows the server's answer (the row drawn again) rather than its own guess.
document.addEventListener("click", event => {
  const control = event.target instanceof Element ? event.target.closest("[data-grid-action]") : null;
  if (!control || control.disabled) {
    return;
  }
  event.preventDefault();
  const detail = { action: control.dataset.gridAction, id: Number(control.dataset.id ?? 0) };
  keepFocus(control);
  control.dispatchEvent(new CustomEvent("gridaction", { bubbles: true, detail }));
});

window.Blazor?.registerCustomEventType("gridaction", { createEventArgs: event => event.detail });

// The server answers by drawing the control's markup again, which replaces its element: when the control had the
// keyboard focus, the new element with the same action and id gets it back, so a keyboard user stays in place.
function keepFocus(control) {
  if (document.activeElement !== control) {
    return;
  }
  let selector = `[data-grid-action="${CSS.escape(control.dataset.gridAction)}"]`;
  if (control.dataset.id !== undefined) {
    selector += `[data-id="${CSS.escape(control.dataset.id)}"]`;
  }
  const observer = new MutationObserver(() => {
    if (control.isConnected) {
      return;
    }
    stop();
    const replacement = document.querySelector(selector);
    if (replacement && (document.activeElement === null || document.activeElement === document.body)) {
      replacement.focus();
    }
  });
  const timeout = setTimeout(() => stop(), 10000);
  function stop() {
    observer.disconnect();
    clearTimeout(timeout);
  }
  observer.observe(document.body, { childList: true, subtree: true });
}
