/* canhbao: the "Sao chép" buttons of the page for officials (issue 12). Each button copies the
   text of the element named by its data-copy attribute. No third-party script. */
(function () {
  'use strict';
  var status = document.querySelector('.copy-status');
  function say(text) { if (status) status.textContent = text; }
  function copyOld(text) {
    var field = document.createElement('textarea');
    field.value = text;
    field.setAttribute('readonly', '');
    field.style.position = 'fixed';
    field.style.opacity = '0';
    document.body.appendChild(field);
    field.select();
    var ok = false;
    try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
    document.body.removeChild(field);
    return ok;
  }
  Array.prototype.forEach.call(document.querySelectorAll('[data-copy]'), function (button) {
    var source = document.getElementById(button.getAttribute('data-copy'));
    if (!source) return;
    button.hidden = false;
    button.addEventListener('click', function () {
      var text = source.textContent;
      var done = function () { say('Đã sao chép'); };
      var fail = function () { if (copyOld(text)) done(); else say('Hãy chọn và sao chép văn bản bằng tay'); };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(done, fail);
      } else {
        fail();
      }
    });
  });
})();
