import { WEBSOCKET_LIMITS } from '../private/defaults/websocket-api';

/*
 * The code of the functions SecureWebSocketApi creates, inline (CloudFormation's ZipFile: at most
 * 4,096 characters, no bundling, nothing to download). Plain Node.js with the AWS SDK for JavaScript
 * v3 that every Node.js runtime carries, and the runtime's own fetch and crypto.
 * test/websocket-api/connection-handlers.test.ts runs both against mocked services.
 */

/** The attributes of a connection's record, written once here and read by the docs and tests. */
export const CONNECTION_ATTRIBUTES = {
  /** Partition key: the connection's id, as `@connections` takes it. */
  connectionId: 'connectionId',
  /** Who connected: the authorizer's principal (a Cognito `sub`, your authorizer's `principalId`), the IAM caller's ARN, or `anonymous`. */
  principalId: 'principalId',
  /** When the connection opened, in epoch milliseconds. */
  connectedAt: 'connectedAt',
  /** When the record expires (DynamoDB TTL, epoch seconds): after the longest a connection can live. */
  expiresAt: 'expiresAt',
} as const;

/** The connections table's index by principal: every connection of one user. */
export const PRINCIPAL_INDEX = 'byPrincipal';

const expirySeconds = WEBSOCKET_LIMITS.maxConnectionDuration.toSeconds() + WEBSOCKET_LIMITS.expiryMargin.toSeconds();

/**
 * `$connect` records the connection, `$disconnect` deletes it (API Gateway calls `$disconnect` on a
 * best-effort basis: the record's TTL removes those it misses). Environment: `CONNECTIONS_TABLE`.
 */
export const CONNECTIONS_HANDLER_CODE = `
const { DynamoDBClient, PutItemCommand, DeleteItemCommand } = require('@aws-sdk/client-dynamodb');
const db = new DynamoDBClient({});
exports.handler = async (event) => {
  const c = event.requestContext;
  const TableName = process.env.CONNECTIONS_TABLE;
  if (c.eventType === 'CONNECT') {
    const a = c.authorizer || {};
    const principal = a.principalId || (c.identity && c.identity.userArn) || 'anonymous';
    const at = Number(c.connectedAt) || Date.now();
    await db.send(new PutItemCommand({ TableName, Item: {
      ${CONNECTION_ATTRIBUTES.connectionId}: { S: c.connectionId },
      ${CONNECTION_ATTRIBUTES.principalId}: { S: String(principal) },
      ${CONNECTION_ATTRIBUTES.connectedAt}: { N: String(at) },
      ${CONNECTION_ATTRIBUTES.expiresAt}: { N: String(Math.floor(at / 1000) + ${expirySeconds}) },
    } }));
  } else if (c.eventType === 'DISCONNECT') {
    await db.send(new DeleteItemCommand({ TableName, Key: { ${CONNECTION_ATTRIBUTES.connectionId}: { S: c.connectionId } } }));
  }
  return { statusCode: 200 };
};
`;

/**
 * The Cognito authorizer: checks the token's RS256 signature against the pool's JSON Web Key Set
 * (fetched once per container, again for an unknown key id at most once a minute), its expiry, issuer,
 * `token_use`, client and scopes, and allows `$connect` with the user's `sub` as the principal. A token
 * that fails a check gets a Deny policy (the client gets 403), not an error: a refused token is the
 * authorizer doing its job, and an error would fire the function's errors alarm for every expired
 * token or stranger. Only a real fault (the key set cannot be fetched) fails the function.
 * Environment: `ISSUER`, `CLIENT_IDS` (comma-separated), `SCOPES` (comma-separated, may be empty),
 * `TOKEN_SOURCE` (`query:<name>` or `header:<name>`).
 */
export const COGNITO_AUTHORIZER_CODE = `
const crypto = require('crypto');
const env = process.env;
const clients = env.CLIENT_IDS.split(',');
const scopes = env.SCOPES ? env.SCOPES.split(',') : [];
const [where, name] = env.TOKEN_SOURCE.split(':');
let keys = new Map();
let fetchedAt = 0;
async function keyFor(kid) {
  if (!keys.has(kid) && Date.now() - fetchedAt > 60000) {
    fetchedAt = Date.now();
    const res = await fetch(env.ISSUER + '/.well-known/jwks.json');
    if (!res.ok) throw new Error('JWKS ' + res.status);
    const next = new Map();
    for (const k of (await res.json()).keys) next.set(k.kid, crypto.createPublicKey({ key: k, format: 'jwk' }));
    keys = next;
  }
  return keys.get(kid);
}
function read(part) {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch (e) {
    return undefined;
  }
}
function tokenOf(event) {
  if (where === 'query') return (event.queryStringParameters || {})[name];
  const headers = event.headers || {};
  const key = Object.keys(headers).find((h) => h.toLowerCase() === name.toLowerCase());
  return key && headers[key].replace(/^Bearer\\s+/i, '');
}
async function verify(token) {
  const parts = String(token || '').split('.');
  if (parts.length !== 3) return undefined;
  const header = read(parts[0]);
  const claims = read(parts[1]);
  if (!header || !claims || header.alg !== 'RS256' || typeof header.kid !== 'string') return undefined;
  const key = await keyFor(header.kid);
  if (!key) return undefined;
  let signed = false;
  try {
    signed = crypto.verify('RSA-SHA256', Buffer.from(parts[0] + '.' + parts[1]), key, Buffer.from(parts[2], 'base64url'));
  } catch (e) {
    return undefined;
  }
  if (!signed || claims.iss !== env.ISSUER || !(claims.exp * 1000 > Date.now())) return undefined;
  const client = claims.token_use === 'id' ? claims.aud : claims.token_use === 'access' ? claims.client_id : undefined;
  if (!clients.includes(client)) return undefined;
  if (scopes.length > 0) {
    const granted = claims.token_use === 'access' ? String(claims.scope || '').split(' ') : [];
    if (!scopes.some((s) => granted.includes(s))) return undefined;
  }
  return claims;
}
function policy(principalId, effect, resource) {
  return { principalId, policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: resource }] } };
}
exports.handler = async (event) => {
  const claims = await verify(tokenOf(event));
  if (!claims) {
    console.log('connection refused: invalid token');
    return policy('unauthorized', 'Deny', event.methodArn);
  }
  return {
    ...policy(claims.sub, 'Allow', event.methodArn),
    context: { sub: claims.sub, username: String(claims['cognito:username'] || claims.username || ''), tokenUse: claims.token_use },
  };
};
`;
