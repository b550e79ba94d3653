// Loaded in <head>, before the first paint: the dark palette applies at once, with no flash of the light one.
// The choice is the person's last one (clinic.useTheme), else their system's.
(() => {
  const stored = localStorage.getItem("clinic.theme");
  const dark = stored ? stored === "dark" : window.matchMedia("(prefers-color-scheme: dark)").matches;
  document.documentElement.classList.toggle("clinic-dark", dark);
})();
