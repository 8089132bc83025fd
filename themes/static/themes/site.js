// Larger-text mode (适老化): remembered per browser, applied before paint in <head>.
(function () {
  var button = document.getElementById("text-size-toggle");
  if (!button) return;
  var root = document.documentElement;
  function sync() {
    var on = root.classList.contains("large-text");
    button.setAttribute("aria-pressed", on ? "true" : "false");
    button.textContent = on ? "标准字号" : "大字版";
  }
  button.addEventListener("click", function () {
    root.classList.toggle("large-text");
    try { localStorage.setItem("sg-large-text", root.classList.contains("large-text") ? "1" : "0"); } catch (e) {}
    sync();
  });
  sync();
})();
