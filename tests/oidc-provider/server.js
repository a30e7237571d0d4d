// A real OpenID provider for insyn's end-to-end sign-in tests: the certified
// `oidc-provider` package (version pinned in package.json), on 127.0.0.1 and
// a free port. The test (tests/it/http_oidc.rs) starts it as a child process:
//
//   OIDC_REDIRECT_URIS="http://127.0.0.1:PORT/login/oidc/callback" node server.js
//
// and reads its first line of output, {"issuer":"http://127.0.0.1:N"}. It
// exits when its standard input closes (the test ended) or on SIGTERM.
//
// Settings (environment):
//   OIDC_REDIRECT_URIS  the client's redirect URIs, space-separated (required)
//   OIDC_CLIENT_ID      default insyn-test
//   OIDC_CLIENT_SECRET  default insyn-test-secret (client_secret_basic)
//   OIDC_ACCOUNTS       JSON: account id -> claims (email, email_verified,
//                       name, roles, …); default ACCOUNTS below
//
// One confidential client, authorization code flow only, PKCE (S256)
// required for it. ID tokens are signed RS256 with a key made at start and
// carry the scope's claims (conformIdTokenClaims off, as Entra ID and most
// municipal IdPs do); `roles` comes with the `profile` scope.
//
// The interaction is this file's own, minimal, and driven by the test like
// a browser: GET /interaction/:uid shows a login form (an account id, no
// password); POST /interaction/:uid/login signs that account in; POST
// /interaction/:uid/abort cancels (the provider then redirects back with
// error=access_denied). Consent for the one first-party client is given
// automatically, as an organisation's IdP does for its own applications.

import crypto from 'node:crypto';
import http from 'node:http';
import Provider from 'oidc-provider';

const ACCOUNTS = {
  ada: {
    email: 'Ada.Lovelace@Exempelstad.se',
    email_verified: true,
    name: 'Ada Lovelace',
    roles: ['insyn-admins'],
  },
  nils: {
    email: 'nils@exempelstad.se',
    email_verified: true,
    name: 'Nils Holgersson',
    roles: [],
  },
};

const env = process.env;
const redirectUris = (env.OIDC_REDIRECT_URIS ?? '').split(/\s+/).filter(Boolean);
if (redirectUris.length === 0) {
  console.error('OIDC_REDIRECT_URIS is required');
  process.exit(2);
}
const accounts = env.OIDC_ACCOUNTS ? JSON.parse(env.OIDC_ACCOUNTS) : ACCOUNTS;

const server = http.createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = {
  ...privateKey.export({ format: 'jwk' }),
  kid: 'insyn-test-1',
  alg: 'RS256',
  use: 'sig',
};

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: env.OIDC_CLIENT_ID ?? 'insyn-test',
      client_secret: env.OIDC_CLIENT_SECRET ?? 'insyn-test-secret',
      redirect_uris: redirectUris,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  pkce: { required: () => true },
  jwks: { keys: [signingKey] },
  cookies: { keys: [crypto.randomBytes(32).toString('hex')] },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'given_name', 'family_name', 'roles'],
  },
  conformIdTokenClaims: false,
  ttl: { Interaction: 600, Session: 3600, Grant: 3600, AuthorizationCode: 60, AccessToken: 600, IdToken: 600 },
  features: { devInteractions: { enabled: false } },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(_ctx, sub) {
    const claims = accounts[sub];
    if (!claims) return undefined;
    return { accountId: sub, claims: async () => ({ sub, ...claims }) };
  },
  async renderError(ctx, out) {
    ctx.type = 'html';
    ctx.body = `<!doctype html><title>${esc(out.error)}</title><h1>${esc(out.error)}</h1><p>${esc(out.error_description ?? '')}</p>`;
  },
});

function esc(s) {
  return String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

async function form(req) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function html(res, status, body) {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.end(`<!doctype html><html lang="en"><head><title>Test IdP</title></head><body>${body}</body></html>`);
}

function loginForm(uid, message) {
  return `<h1>Sign in to the test IdP</h1>${message ? `<p role="alert">${esc(message)}</p>` : ''}
<form method="post" action="/interaction/${esc(uid)}/login">
  <label>Account <input name="login" autofocus></label>
  <button type="submit">Sign in</button>
</form>
<form method="post" action="/interaction/${esc(uid)}/abort"><button type="submit">Cancel</button></form>`;
}

// Gives the client what it asked for (its own, first-party consent).
async function consent(details) {
  const { prompt, params, session, grantId } = details;
  const grant = grantId
    ? await provider.Grant.find(grantId)
    : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
  if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
  if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(prompt.details.missingResourceScopes ?? {})) {
    grant.addResourceScope(indicator, scopes.join(' '));
  }
  const saved = await grant.save();
  return grantId ? {} : { grantId: saved };
}

async function interaction(req, res, uid, action) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) return html(res, 400, '<p>Wrong interaction.</p>');
  if (req.method === 'GET' && !action) {
    if (details.prompt.name === 'consent') {
      return provider.interactionFinished(req, res, { consent: await consent(details) }, {
        mergeWithLastSubmission: true,
      });
    }
    return html(res, 200, loginForm(uid));
  }
  if (req.method === 'POST' && action === 'login') {
    const login = (await form(req)).get('login') ?? '';
    if (!Object.hasOwn(accounts, login)) return html(res, 200, loginForm(uid, 'Unknown account.'));
    return provider.interactionFinished(req, res, { login: { accountId: login } }, {
      mergeWithLastSubmission: false,
    });
  }
  if (req.method === 'POST' && action === 'abort') {
    return provider.interactionFinished(req, res, {
      error: 'access_denied',
      error_description: 'End-User aborted interaction',
    }, { mergeWithLastSubmission: false });
  }
  return html(res, 404, '<p>Not found.</p>');
}

const callback = provider.callback();
server.on('request', async (req, res) => {
  const m = /^\/interaction\/([^/?]+)(?:\/(login|abort))?(?:\?.*)?$/.exec(req.url);
  if (!m) return callback(req, res);
  try {
    await interaction(req, res, m[1], m[2]);
  } catch (e) {
    console.error(e);
    if (!res.headersSent) html(res, 500, `<p>${esc(e.message)}</p>`);
  }
});

const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();

console.log(JSON.stringify({ issuer }));
