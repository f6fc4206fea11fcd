import * as crypto from 'crypto';
import { CONNECTIONS_HANDLER_CODE, COGNITO_AUTHORIZER_CODE } from '../../src/websocket-api/connection-handlers';

/*
 * The inline code of the functions SecureWebSocketApi creates, run here against mocked services:
 * the AWS SDK's DynamoDB client and the user pool's JSON Web Key Set.
 */

type Handler = (event: unknown) => Promise<any>;

/** Loads inline handler code as Lambda would (CommonJS), with `require`, `process.env` and `fetch` of the test's choosing. */
function load(code: string, options: { modules?: Record<string, unknown>; env?: Record<string, string>; fetch?: unknown }): Handler {
  const module = { exports: {} as { handler: Handler } };
  // Node's own modules (crypto) as Lambda's runtime gives them.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const requireFn = (name: string) => options.modules?.[name] ?? require(name);
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  new Function('module', 'exports', 'require', 'process', 'fetch', code)(module, module.exports, requireFn, { env: options.env ?? {} },
    options.fetch);
  return module.exports.handler;
}

describe('the connection recorder', () => {
  function recorder() {
    const sent: Array<{ command: string; input: any }> = [];
    class Command {
      constructor(public readonly input: unknown) {}
    }
    const sdk = {
      DynamoDBClient: class {
        public async send(command: any) {
          sent.push({ command: command.constructor.name, input: command.input });
          return {};
        }
      },
      PutItemCommand: class PutItemCommand extends Command {},
      DeleteItemCommand: class DeleteItemCommand extends Command {},
    };
    const handler = load(CONNECTIONS_HANDLER_CODE, { modules: { '@aws-sdk/client-dynamodb': sdk }, env: { CONNECTIONS_TABLE: 'Connections' } });
    return { handler, sent };
  }

  test('$connect records the connection, who opened it and when it expires (2 hours and 5 minutes later)', async () => {
    const { handler, sent } = recorder();
    const answer = await handler({ requestContext: { eventType: 'CONNECT', connectionId: 'abc=', connectedAt: 1700000000123, authorizer: { principalId: 'user-1' } } });
    expect(answer).toEqual({ statusCode: 200 });
    expect(sent).toEqual([{
      command: 'PutItemCommand',
      input: {
        TableName: 'Connections',
        Item: {
          connectionId: { S: 'abc=' }, principalId: { S: 'user-1' }, connectedAt: { N: '1700000000123' }, expiresAt: { N: String(1700000000 + 7500) },
        },
      },
    }]);
  });

  test('an IAM caller is recorded by its ARN, an anonymous one as anonymous', async () => {
    const { handler, sent } = recorder();
    await handler({ requestContext: { eventType: 'CONNECT', connectionId: 'a', connectedAt: 1, identity: { userArn: 'arn:aws:iam::123456789012:role/Device' } } });
    await handler({ requestContext: { eventType: 'CONNECT', connectionId: 'b', connectedAt: 1, identity: {} } });
    expect(sent.map((s) => s.input.Item.principalId.S)).toEqual(['arn:aws:iam::123456789012:role/Device', 'anonymous']);
  });

  test('$disconnect deletes the record; other events change nothing', async () => {
    const { handler, sent } = recorder();
    await handler({ requestContext: { eventType: 'DISCONNECT', connectionId: 'abc=' } });
    await handler({ requestContext: { eventType: 'MESSAGE', connectionId: 'abc=' } });
    expect(sent).toEqual([{ command: 'DeleteItemCommand', input: { TableName: 'Connections', Key: { connectionId: { S: 'abc=' } } } }]);
  });

  test('a failed write fails the handler (so API Gateway refuses the connection rather than lose track of it)', async () => {
    const sdk = {
      DynamoDBClient: class { public async send() { throw new Error('throttled'); } },
      PutItemCommand: class {},
      DeleteItemCommand: class {},
    };
    const handler = load(CONNECTIONS_HANDLER_CODE, { modules: { '@aws-sdk/client-dynamodb': sdk }, env: { CONNECTIONS_TABLE: 'T' } });
    await expect(handler({ requestContext: { eventType: 'CONNECT', connectionId: 'a', connectedAt: 1 } })).rejects.toThrow('throttled');
  });
});

describe('the Cognito authorizer', () => {
  const ISSUER = 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc';
  const METHOD_ARN = 'arn:aws:execute-api:eu-west-1:123456789012:api/prod/$connect';
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const other = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwks = { keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'RS256', use: 'sig' }] };
  const now = () => Math.floor(Date.now() / 1000);
  /** A refused token: a Deny policy (the client gets 403), not an error (which would fire the function's errors alarm). */
  const DENIED = {
    principalId: 'unauthorized',
    policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Deny', Resource: METHOD_ARN }] },
  };

  function token(claims: Record<string, unknown>, options: { kid?: string; alg?: string; key?: crypto.KeyObject } = {}): string {
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const head = encode({ alg: options.alg ?? 'RS256', kid: options.kid ?? 'k1' });
    const body = encode({ iss: ISSUER, exp: now() + 600, sub: 'user-1', ...claims });
    const signature = crypto.sign('RSA-SHA256', Buffer.from(`${head}.${body}`), options.key ?? privateKey).toString('base64url');
    return `${head}.${body}.${signature}`;
  }

  function authorizer(env: Record<string, string> = {}) {
    const fetches: string[] = [];
    const fetchFn = async (url: string) => {
      fetches.push(url);
      return { ok: true, status: 200, json: async () => jwks };
    };
    const handler = load(COGNITO_AUTHORIZER_CODE, {
      env: { ISSUER, CLIENT_IDS: 'web,mobile', SCOPES: '', TOKEN_SOURCE: 'query:token', ...env },
      fetch: fetchFn,
    });
    const connect = (value: string, where: 'query' | 'header' = 'query') => handler({
      methodArn: METHOD_ARN,
      queryStringParameters: where === 'query' ? { token: value } : undefined,
      headers: where === 'header' ? { authorization: `Bearer ${value}` } : undefined,
    });
    return { connect, fetches };
  }

  test('a valid ID token of an accepted client connects as its user, and the keys are fetched once', async () => {
    const { connect, fetches } = authorizer();
    const answer = await connect(token({ 'token_use': 'id', 'aud': 'web', 'cognito:username': 'ana' }));
    expect(answer).toEqual({
      principalId: 'user-1',
      policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: METHOD_ARN }] },
      context: { sub: 'user-1', username: 'ana', tokenUse: 'id' },
    });
    await connect(token({ token_use: 'access', client_id: 'mobile' }));
    expect(fetches).toEqual([`${ISSUER}/.well-known/jwks.json`]);
  });

  test.each([
    ['another issuer', { token_use: 'id', aud: 'web', iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_other' }, {}],
    ['an expired token', { token_use: 'id', aud: 'web', exp: Math.floor(Date.now() / 1000) - 1 }, {}],
    ['another client', { token_use: 'id', aud: 'admin' }, {}],
    ['an access token whose aud names the client but client_id does not', { token_use: 'access', aud: 'web', client_id: 'admin' }, {}],
    ['no token_use', { aud: 'web' }, {}],
    ['a signature of another key', { token_use: 'id', aud: 'web' }, { key: other.privateKey }],
    ['an unknown key id', { token_use: 'id', aud: 'web' }, { kid: 'k2' }],
    ['alg none', { token_use: 'id', aud: 'web' }, { alg: 'none' }],
    ['a key id of Object.prototype', { token_use: 'id', aud: 'web' }, { kid: 'constructor' }],
  ])('%s is refused', async (_name, claims, options) => {
    const { connect } = authorizer();
    await expect(connect(token(claims, options as any))).resolves.toEqual(DENIED);
  });

  test('a missing or malformed token is refused', async () => {
    const { connect } = authorizer();
    for (const value of ['', 'a.b', 'not.json.here', `${Buffer.from('{"alg":"RS256","kid":"k1"}').toString('base64url')}.e30.!!`]) {
      await expect(connect(value)).resolves.toEqual(DENIED);
    }
  });

  test('a key set that cannot be fetched is a fault: the function fails (and its errors alarm fires)', async () => {
    const handler = load(COGNITO_AUTHORIZER_CODE, {
      env: { ISSUER, CLIENT_IDS: 'web', SCOPES: '', TOKEN_SOURCE: 'query:token' },
      fetch: async () => ({ ok: false, status: 503, json: async () => ({}) }),
    });
    await expect(handler({ methodArn: METHOD_ARN, queryStringParameters: { token: token({ token_use: 'id', aud: 'web' }) } }))
      .rejects.toThrow('JWKS 503');
  });

  test('a dotted query string parameter is read whole', async () => {
    const handler = load(COGNITO_AUTHORIZER_CODE, {
      env: { ISSUER, CLIENT_IDS: 'web', SCOPES: '', TOKEN_SOURCE: 'query:access.token' },
      fetch: async () => ({ ok: true, status: 200, json: async () => jwks }),
    });
    await expect(handler({ methodArn: METHOD_ARN, queryStringParameters: { 'access.token': token({ token_use: 'id', aud: 'web' }) } }))
      .resolves.toMatchObject({ principalId: 'user-1' });
  });

  test('with scopes, only access tokens carrying one of them connect', async () => {
    const { connect } = authorizer({ SCOPES: 'orders/read,orders/admin' });
    await expect(connect(token({ token_use: 'access', client_id: 'web', scope: 'openid orders/read' }))).resolves.toMatchObject({ principalId: 'user-1' });
    await expect(connect(token({ token_use: 'access', client_id: 'web', scope: 'openid' }))).resolves.toEqual(DENIED);
    await expect(connect(token({ token_use: 'id', aud: 'web', scope: 'orders/read' }))).resolves.toEqual(DENIED);
  });

  test('a header token source reads the header whatever its case, without its Bearer prefix', async () => {
    const { connect } = authorizer({ TOKEN_SOURCE: 'header:Authorization' });
    await expect(connect(token({ token_use: 'id', aud: 'web' }), 'header')).resolves.toMatchObject({ principalId: 'user-1' });
  });

  test('unknown key ids refetch the keys at most once a minute', async () => {
    const { connect, fetches } = authorizer();
    await expect(connect(token({ token_use: 'id', aud: 'web' }, { kid: 'rotated' }))).resolves.toEqual(DENIED);
    await expect(connect(token({ token_use: 'id', aud: 'web' }, { kid: 'rotated' }))).resolves.toEqual(DENIED);
    expect(fetches).toHaveLength(1);
  });

  test('both handlers fit CloudFormation\'s inline code limit of 4,096 characters', () => {
    expect(CONNECTIONS_HANDLER_CODE.length).toBeLessThanOrEqual(4096);
    expect(COGNITO_AUTHORIZER_CODE.length).toBeLessThanOrEqual(4096);
  });
});
