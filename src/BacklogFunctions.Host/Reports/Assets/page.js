// The report page's only script, served from this origin (the page's Content-Security-Policy allows no inline
// script). It shows how long the download links have left, sends "Render now" with the session cookie and shows
// the forward view of the month picked (the picker is a plain GET form that also works without this script).
(() => {
  'use strict';
  const expires = document.getElementById('expires');
  if (expires) {
    const tick = () => {
      const left = Math.max(0, Number(expires.dataset.expires) - Date.now());
      expires.title = left > 0 ? Math.ceil(left / 60000) + ' minute(s) left' : 'expired: reload the page';
      if (left === 0) document.querySelectorAll('a.button').forEach(a => a.classList.add('expired'));
    };
    tick();
    setInterval(tick, 30000);
  }

  const month = document.getElementById('forward-month');
  if (month) month.addEventListener('change', () => month.form.submit());

  document.querySelectorAll('button[data-render]').forEach(b => b.addEventListener('click', async () => {
    b.disabled = true;
    b.textContent = 'rendering…';
    try {
      const r = await fetch(b.dataset.render, { method: 'POST', credentials: 'same-origin' });
      b.textContent = r.ok ? 'rendered: reload' : r.status === 401 ? 'signed out: reload' : 'failed (' + r.status + ')';
    } catch {
      b.textContent = 'failed: reload';
    }
  }));
})();
