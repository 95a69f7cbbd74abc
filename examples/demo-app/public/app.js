// Leaf Notes' pages: the guide's frontend half with @tessera/browser.
(function () {
  'use strict';
  const $ = (selector) => document.querySelector(selector);
  const show = (text) => ($('#message').textContent = text);
  let token = null; // the latest identity token, to show its expiry

  const api = async (path, body) => {
    const res = await fetch(path, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(json.error || `HTTP ${res.status}`);
    return json;
  };

  const tessera = Tessera.createClient({
    publicKey: DEMO_CONFIG.publicKey,
    baseUri: DEMO_CONFIG.tesseraUrl,
    targetEnvironment: DEMO_CONFIG.environment,
    // Asked for a new token before the current one expires (and once after an expiry refusal).
    identityTokenProvider: async () => {
      token = (await api('/api/identity-token')).token;
      return token;
    },
    onError: (error) => console.warn('[tessera]', error.code, error.message),
  });
  window.tessera = tessera; // for the curious, and for the end-to-end test

  // --- navigation: each page is a tracked page view -------------------------------------
  const route = () => {
    const page = (location.hash || '#home').slice(1);
    for (const section of document.querySelectorAll('[data-page]')) section.hidden = section.id !== page;
    tessera.track('Page Viewed', { path: `/${page === 'home' ? '' : page}` });
  };
  window.addEventListener('hashchange', route);

  // --- visitor: product events and the newsletter --------------------------------------
  for (const button of document.querySelectorAll('[data-feature]')) {
    button.addEventListener('click', () => tessera.track('Feature Viewed', { feature: button.dataset.feature }));
  }
  for (const button of document.querySelectorAll('[data-plan]')) {
    button.addEventListener('click', () => tessera.track('Plan Chosen', { plan: button.dataset.plan }));
  }
  $('#newsletter').addEventListener('submit', (event) => {
    event.preventDefault();
    const email = new FormData(event.target).get('email');
    tessera.identify({ email });
    tessera.track('Newsletter Subscribed');
    show(`Thanks! ${email} is saved on your visitor profile.`);
    event.target.reset();
  });

  // --- signup, login, logout --------------------------------------------------------------
  $('#signup-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await api('/api/signup', Object.fromEntries(new FormData(event.target)));
      show('Account created. Now log in.');
      location.hash = '#login';
    } catch (error) {
      show(error.message);
    }
  });

  $('#login-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const session = await api('/api/login', Object.fromEntries(new FormData(event.target)));
      token = session.token;
      // The guide's login step: from now on calls are made as this user, and this visitor's
      // history joins the user's.
      tessera.setIdentity(session.uid, session.token);
      tessera.track('Logged In');
      signedIn(session.firstName);
      location.hash = '#home';
      show('');
    } catch (error) {
      show(error.message);
    }
  });

  $('#logout').addEventListener('click', async () => {
    tessera.track('Logged Out');
    await api('/api/logout', {});
    // The guide's logout step: a new visitor from here on; nothing of the user is kept.
    tessera.reset();
    token = null;
    signedIn(null);
    show('Logged out. You are a new visitor now.');
  });

  const signedIn = (firstName) => {
    for (const el of document.querySelectorAll('[data-when]'))
      el.hidden = (el.dataset.when === 'in') !== Boolean(firstName);
    $('#greeting').textContent = firstName ? `Hello, ${firstName}.` : '';
  };

  // --- the identity panel -------------------------------------------------------------------
  const expiryOf = (jwt) => {
    try {
      return new Date(JSON.parse(atob(jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))).exp * 1000);
    } catch {
      return null;
    }
  };
  const render = () => {
    $('#id-anonymous').textContent = tessera.anonymousUid || '…';
    $('#id-uid').textContent = tessera.uid || '— (a visitor)';
    const expiry = token && tessera.uid ? expiryOf(token) : null;
    $('#id-expiry').textContent = expiry
      ? `${expiry.toLocaleTimeString()} (in ${Math.max(0, Math.round((expiry - Date.now()) / 1000))} s)`
      : '—';
  };
  setInterval(render, 1000);

  api('/api/me').then(
    (me) => signedIn(me.firstName),
    () => signedIn(null),
  );
  route();
  render();
})();
