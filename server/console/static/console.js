// Keyboard shortcuts for the review console (no build, no dependencies).
// Queue: j/k move between rows, Enter opens. Draft: j/k next/previous draft,
// a approve (the checked edit, once there is one), e edit, r reject. Keys typed into a field are left alone.
(function () {
  "use strict";
  function typing(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }
  function moveInQueue(step) {
    var links = Array.prototype.slice.call(document.querySelectorAll(".queue-row a.open"));
    if (!links.length) return false;
    var at = links.indexOf(document.activeElement);
    var next = links[Math.min(links.length - 1, Math.max(0, at < 0 ? 0 : at + step))];
    links.forEach(function (l) { l.closest("tr").classList.remove("selected"); });
    next.closest("tr").classList.add("selected");
    next.focus();
    return true;
  }
  function go(id) {
    var link = document.getElementById(id);
    if (link) { window.location.assign(link.href); return true; }
    return false;
  }
  function focus(id) {
    var field = document.getElementById(id);
    if (field) { field.focus(); return true; }
    return false;
  }
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    var handled = false;
    if (event.key === "j") handled = moveInQueue(1) || go("next");
    else if (event.key === "k") handled = moveInQueue(-1) || go("previous");
    else if (event.key === "a") {
      // After an edit was checked, a approves the edit (if the critic let it through).
      var approve = document.getElementById("send-edit") || document.getElementById("approve");
      if (approve && approve.disabled) approve = null;
      if (approve) { approve.form.requestSubmit(approve); handled = true; }
    } else if (event.key === "e") handled = focus("edit-body");
    else if (event.key === "r") handled = focus("reject-reason");
    if (handled) event.preventDefault();
  });
})();
