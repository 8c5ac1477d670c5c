// pan4j host: small progressive enhancements. Every page works without this script.
(function () {
  'use strict';

  // Confirmation before deleting (the forms carry data-confirm; the "move" button opts out).
  document.addEventListener('submit', function (ev) {
    var form = ev.target;
    var btn = ev.submitter;
    if (btn && btn.hasAttribute('data-noconfirm')) return;
    var msg = form.getAttribute('data-confirm');
    if (msg && !window.confirm(msg)) ev.preventDefault();
  });

  // Multi-select: the checked rows' paths go into the bulk form.
  var bulk = document.getElementById('bulk');
  if (bulk) {
    var paths = bulk.querySelector('textarea[name=paths]');
    var count = document.getElementById('bulk-count');
    var all = document.getElementById('select-all');
    var picks = function () { return Array.prototype.slice.call(document.querySelectorAll('input.pick')); };
    var sync = function () {
      var chosen = picks().filter(function (c) { return c.checked; }).map(function (c) { return c.value; });
      paths.value = chosen.join('\n');
      count.textContent = chosen.length + ' selected';
      bulk.classList.toggle('active', chosen.length > 0);
      bulk.querySelectorAll('button').forEach(function (b) { b.disabled = chosen.length === 0; });
    };
    document.addEventListener('change', function (ev) {
      if (ev.target === all) picks().forEach(function (c) { c.checked = all.checked; });
      if (ev.target === all || ev.target.classList.contains('pick')) sync();
    });
    sync();
  }

  // Upload with a progress bar: several files, the picker or drag and drop.
  var form = document.getElementById('upload');
  if (form && window.FormData && window.XMLHttpRequest) {
    var input = document.getElementById('file');
    var drop = document.getElementById('drop');
    var box = document.getElementById('progress');
    var bar = document.getElementById('progress-bar');
    var text = document.getElementById('progress-text');
    var dropped = null;
    var mib = function (n) { return (n / 1048576).toFixed(1) + ' MiB'; };
    var send = function (files) {
      var data = new FormData();
      form.querySelectorAll('input[type=hidden], input[type=checkbox]:checked').forEach(function (i) { data.append(i.name, i.value); });
      var total = 0;
      Array.prototype.forEach.call(files, function (f) { data.append('file', f, f.name); total += f.size; });
      var xhr = new XMLHttpRequest();
      xhr.open('POST', form.action);
      xhr.setRequestHeader('X-Requested-With', 'fetch');
      box.hidden = false;
      text.textContent = files.length + ' file' + (files.length === 1 ? '' : 's') + ', ' + mib(total);
      xhr.upload.onprogress = function (e) {
        if (!e.lengthComputable) return;
        bar.value = Math.round(e.loaded * 100 / e.total);
        text.textContent = bar.value + '% of ' + mib(e.total) + ' (' + files.length + ' file' + (files.length === 1 ? '' : 's') + ')';
      };
      xhr.onload = function () {
        if (xhr.status >= 200 && xhr.status < 300) {
          bar.value = 100;
          text.textContent = 'done: ' + xhr.responseText.trim();
          window.setTimeout(function () { window.location.reload(); }, 1000);
        } else {
          text.textContent = 'failed (' + xhr.status + '): ' + xhr.responseText.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 300);
        }
      };
      xhr.onerror = function () { text.textContent = 'failed: the connection broke'; };
      xhr.send(data);
    };
    form.addEventListener('submit', function (ev) {
      var files = dropped || input.files;
      if (!files || files.length === 0) return;
      ev.preventDefault();
      send(files);
    });
    ['dragenter', 'dragover'].forEach(function (t) {
      drop.addEventListener(t, function (ev) { ev.preventDefault(); drop.classList.add('over'); });
    });
    ['dragleave', 'drop'].forEach(function (t) {
      drop.addEventListener(t, function () { drop.classList.remove('over'); });
    });
    drop.addEventListener('drop', function (ev) {
      ev.preventDefault();
      dropped = ev.dataTransfer.files;
      input.required = false;
      send(dropped);
    });
  }
})();
