/* canhbao: the "Chia sẻ" button of articles. Opens the phone's share sheet (Web Share API: Zalo,
   Messenger, SMS ... appear there); where there is none, copies the link. No third-party script. */
(function () {
  'use strict';
  var button = document.querySelector('[data-share-url]');
  if (!button) return;
  var status = document.querySelector('.share-status');
  var url = button.getAttribute('data-share-url');
  var title = button.getAttribute('data-share-title');
  function say(text) { if (status) status.textContent = text; }
  function copyOld() {
    var field = document.createElement('textarea');
    field.value = url;
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
  function copy() {
    var done = function () { say('Đã sao chép liên kết'); };
    var fail = function () {
      if (copyOld()) done();
      else say('Hãy sao chép liên kết này: ' + url);
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(url).then(done, fail);
    } else {
      fail();
    }
  }
  button.hidden = false;
  button.addEventListener('click', function () {
    if (typeof navigator.share === 'function') {
      navigator.share({ title: title, url: url }).catch(function (e) {
        // The reader closed the share sheet: nothing to do. Any other failure: copy instead.
        if (!e || e.name !== 'AbortError') copy();
      });
    } else {
      copy();
    }
  });
})();
