// A real OpenID Connect provider for the tests: npm `oidc-provider` (certified), with our small configuration.
// Started by the `oidc_provider` pytest fixture with node on a free port. Accounts and the client come from the
// environment; sign-in uses the package's development interaction pages (any password is accepted).
//
// Faults are produced honestly at the provider: a test POSTs {"fault": NAME} to /__test/fault and the next
// token responses carry an ID token that the provider re-signs with its own key after changing one claim
// (wrong-audience, wrong-issuer, wrong-nonce, expired) or signs with a stranger's key (bad-signature);
// "slow" delays the token endpoint past the client's timeout. {"fault": null} restores normal service.
import { createServer } from 'node:http';
import * as jose from 'jose';
import Provider from 'oidc-provider';

const port = Number(process.env.OIDC_PORT);
const issuer = `http://127.0.0.1:${port}`;
const accounts = JSON.parse(process.env.OIDC_ACCOUNTS || '{}');
const redirectUris = JSON.parse(process.env.OIDC_REDIRECT_URIS);
const postLogoutRedirectUris = JSON.parse(process.env.OIDC_POST_LOGOUT_REDIRECT_URIS || '[]');
const slowMs = Number(process.env.OIDC_SLOW_MS || 8000);

const { privateKey } = await jose.generateKeyPair('RS256', { extractable: true });
const signingJwk = { ...(await jose.exportJWK(privateKey)), kid: 'hocso-test', alg: 'RS256', use: 'sig' };
const stranger = (await jose.generateKeyPair('RS256')).privateKey;

let fault = null;

const provider = new Provider(issuer, {
  clients: [{
    client_id: process.env.OIDC_CLIENT_ID,
    client_secret: process.env.OIDC_CLIENT_SECRET,
    redirect_uris: redirectUris,
    post_logout_redirect_uris: postLogoutRedirectUris,
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_post',
  }],
  pkce: { required: () => true },
  jwks: { keys: [signingJwk] },
  cookies: { keys: ['hocso-test-cookie-key'] },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'preferred_username', 'employee_number'],
  },
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  async findAccount(ctx, id) {
    const known = accounts[id] || {};
    return {
      accountId: id,
      async claims() {
        return { sub: id, preferred_username: id, email_verified: true, ...known };
      },
    };
  },
});
provider.proxy = false;

async function tamper(idToken) {
  const claims = jose.decodeJwt(idToken);
  const now = Math.floor(Date.now() / 1000);
  let key = privateKey;
  if (fault === 'wrong-audience') claims.aud = 'someone-else';
  else if (fault === 'wrong-issuer') claims.iss = 'http://127.0.0.1:1/not-the-issuer';
  else if (fault === 'wrong-nonce') claims.nonce = 'not-the-nonce-we-sent';
  else if (fault === 'expired') { claims.iat = now - 7200; claims.exp = now - 3600; }
  else if (fault === 'bad-signature') key = stranger;
  else return idToken;
  return new jose.SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'hocso-test', typ: 'JWT' }).sign(key);
}

provider.use(async (ctx, next) => {
  if (ctx.path === '/token' && fault === 'slow') await new Promise((done) => setTimeout(done, slowMs));
  await next();
  if (ctx.path === '/token' && ctx.status === 200 && ctx.body && ctx.body.id_token && fault) {
    ctx.body = { ...ctx.body, id_token: await tamper(ctx.body.id_token) };
  }
});

const callback = provider.callback();
createServer(async (req, res) => {
  if (req.url === '/__test/fault' && req.method === 'POST') {
    let body = '';
    for await (const chunk of req) body += chunk;
    fault = JSON.parse(body).fault;
    res.writeHead(204).end();
    return;
  }
  callback(req, res);
}).listen(port, '127.0.0.1', () => console.log(`oidc-provider ready at ${issuer}`));
