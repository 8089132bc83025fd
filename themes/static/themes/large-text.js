// Larger-text mode (适老化), applied before first paint: loaded without defer
// in <head>, so the page never flashes at the normal size. A static file rather
// than an inline script, so the Content-Security-Policy needs no 'unsafe-inline'
// and no nonce (site.js wires the button).
try { if (localStorage.getItem("sg-large-text") === "1") document.documentElement.classList.add("large-text"); } catch (e) {}
