// A real OpenID Provider for the single sign-on tests: the certified `oidc-provider` package
// (npm, a devDependency), started by tests/orgs/oidc/conftest.py on a free loopback port.
//
// Input: one JSON document in the environment variable OIDC_TEST_CONFIG:
//   {"clients": [{"client_id", "client_secret", "redirect_uris": [...]}],
//    "accounts": {"<sub>": {"email": ..., "email_verified": true, ...}}}
// Output: one line of JSON on stdout once listening: {"issuer": "http://127.0.0.1:<port>"}.
// RS256 signing keys are generated at start, so every run has keys nobody else has.
// Sign-in and consent use the package's development interaction pages (a plain HTML form
// taking any login name as the account id), which the tests post to like a browser.

import { generateKeyPairSync, randomBytes } from "node:crypto";
import { createServer } from "node:http";

import Provider from "oidc-provider";

const config = JSON.parse(process.env.OIDC_TEST_CONFIG || "{}");
const accounts = config.accounts || {};

function signingKey() {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = privateKey.export({ format: "jwk" });
  return { ...jwk, kid: randomBytes(8).toString("hex"), alg: "RS256", use: "sig" };
}

async function findAccount(ctx, sub) {
  // Every login name is an account of the provider; its claims are those the test gave.
  return {
    accountId: sub,
    async claims() {
      return { ...(accounts[sub] || {}), sub };
    },
  };
}

const server = createServer();
server.listen(0, "127.0.0.1", () => {
  const { port } = server.address();
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: (config.clients || []).map((client) => ({
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
      id_token_signed_response_alg: "RS256",
      ...client,
    })),
    jwks: { keys: [signingKey()] },
    cookies: { keys: [randomBytes(16).toString("hex")] },
    claims: {
      openid: ["sub"],
      email: ["email", "email_verified"],
      profile: ["name", "preferred_username"],
    },
    // The relying party must use PKCE, whatever kind of client it is.
    pkce: { required: () => true },
    findAccount,
  });
  server.on("request", provider.callback());
  process.stdout.write(`${JSON.stringify({ issuer })}\n`);
});

for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
