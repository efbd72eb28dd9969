/* canhbao: sharing and copying, no third-party script.
   - The "Chia sẻ" button of articles ([data-share-url]) opens the phone's share sheet (Web Share
     API: Zalo, Messenger, SMS ... appear there); where there is none, it copies the link.
   - The "Sao chép" buttons of the page for officials (issue 12, [data-copy="ID"]) copy the text
     of the element with that id.
   Both stay hidden without JavaScript; .share-status / .copy-status say what happened. */
(function () {
  'use strict';
  function say(selector, text) {
    var status = document.querySelector(selector);
    if (status) status.textContent = text;
  }
  // Copies `text` to the clipboard; calls done() or fail() (the older execCommand way is tried
  // where the Clipboard API is missing or refused).
  function copy(text, done, fail) {
    function old() {
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
      if (ok) done(); else fail();
    }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(done, old);
    } else {
      old();
    }
  }

  var share = document.querySelector('[data-share-url]');
  if (share) {
    var url = share.getAttribute('data-share-url');
    var title = share.getAttribute('data-share-title');
    var copyLink = function () {
      copy(url,
        function () { say('.share-status', 'Đã sao chép liên kết'); },
        function () { say('.share-status', 'Hãy sao chép liên kết này: ' + url); });
    };
    share.hidden = false;
    share.addEventListener('click', function () {
      if (typeof navigator.share === 'function') {
        navigator.share({ title: title, url: url }).catch(function (e) {
          // The reader closed the share sheet: nothing to do. Any other failure: copy instead.
          if (!e || e.name !== 'AbortError') copyLink();
        });
      } else {
        copyLink();
      }
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll('[data-copy]'), function (button) {
    var source = document.getElementById(button.getAttribute('data-copy'));
    if (!source) return;
    button.hidden = false;
    button.addEventListener('click', function () {
      copy(source.textContent,
        function () { say('.copy-status', 'Đã sao chép'); },
        function () { say('.copy-status', 'Hãy chọn và sao chép văn bản bằng tay'); });
    });
  });
})();
