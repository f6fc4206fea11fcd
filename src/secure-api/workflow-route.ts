import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ApiAuthorization, ApiAuthorizationKind } from './api-authorization';
import type { Workflow } from '../workflow/workflow';

// Internal to the library: the API Gateway integration of a SecureApi route that starts a
// Workflow's execution (Step Functions StartExecution, called by API Gateway with a role). Its
// mapping templates are Velocity (VTL) as API Gateway runs it; test/consumers/java renders them
// with Apache Velocity to prove that any body, path parameter and caller makes valid JSON.

/** The status codes a workflow route answers with (each needs a method response). */
const STATUS = { started: '202', badInput: '400', conflict: '409', throttled: '429', failed: '500' } as const;

/**
 * The form of the request ids API Gateway makes. A client can set its own (`X-Amzn-RequestId`), so
 * the id names the execution only in this form; any other value is escaped like the rest of the input.
 */
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/**
 * Who called, as the route's authorization knows them: the user pool subject, the IAM caller's ARN
 * or the Lambda authorizer's principal. Anonymous routes have none.
 */
const CALLER: Record<ApiAuthorizationKind, string> = {
  [ApiAuthorizationKind.COGNITO]: '$context.authorizer.claims.sub',
  [ApiAuthorizationKind.IAM]: '$context.identity.userArn',
  [ApiAuthorizationKind.LAMBDA_TOKEN]: '$context.authorizer.principalId',
  [ApiAuthorizationKind.LAMBDA_REQUEST]: '$context.authorizer.principalId',
};

/**
 * `$util.escapeJavaScript` escapes `'` as `\'`, which JSON does not allow; AWS documents turning it
 * back (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html#util-template-reference).
 * The two strings are variables so that no quote of the call nests in a quoted VTL string.
 */
const ESCAPE_SETUP = ['#set($q = \'"\')', '#set($sq = "\'")', '#set($esq = "\\\\\'")'];

function escaped(vtlValue: string): string {
  return `$util.escapeJavaScript(${vtlValue}).replaceAll($esq, $sq)`;
}

/**
 * The request template: StartExecution of `stateMachineArn` with the input `{"body": <the validated
 * JSON body>, "path": {<path parameters>}, "caller": "<id>", "requestId": "<id>"}` (no `caller` on
 * anonymous routes), named after the request id when that has API Gateway's own form, else by Step
 * Functions.
 */
export function startExecutionTemplate(stateMachineArn: string, parameters: string[], authorization?: ApiAuthorization): string {
  const lines = [...ESCAPE_SETUP, '#set($body = $input.json(\'$\'))', '#if("$!body" == "")#set($body = "{}")#end', '#set($path = $input.params().path)'];
  const pathFields: string[] = [];
  parameters.forEach((name, i) => {
    lines.push(`#set($p${i} = ${escaped(`$path.get('${name}')`)})`);
    pathFields.push(`\${q}${name}\${q}:\${q}$p${i}\${q}`);
  });
  const fields = ['${q}body${q}:$body', `\${q}path\${q}:{${pathFields.join(',')}}`];
  if (authorization) {
    lines.push(`#set($caller = ${escaped(`"${CALLER[authorization.kind].replace('$', '$!')}"`)})`);
    fields.push('${q}caller${q}:${q}$caller${q}');
  }
  lines.push('#set($rawId = "$!context.requestId")', `#set($requestId = ${escaped('$rawId')})`);
  fields.push('${q}requestId${q}:${q}$requestId${q}');
  lines.push(`#set($execution = "{${fields.join(',')}}")`);
  lines.push(`#if($rawId.matches('${UUID}'))#set($name = ",\${q}name\${q}:\${q}$rawId\${q}")#{else}#set($name = "")#end`);
  lines.push(`{"stateMachineArn":"${stateMachineArn}"$name,"input":"${escaped('$execution')}"}`);
  return lines.join('\n');
}

/**
 * The answer to a started execution: its name, the eighth field of its ARN
 * (`arn:<partition>:states:<region>:<account>:execution|express:<state machine>:<name>[:<id>]`), so
 * that the answer does not show the account.
 */
const STARTED_TEMPLATE = [
  '#set($arn = "$!input.path(\'$.executionArn\')")',
  '{"executionName":"$util.escapeJavaScript($arn.replaceAll(\'^(?:[^:]*:){7}([^:]*).*$\', \'$1\'))"}',
].join('\n');

/** CORS headers of a workflow route's answers: constants for one origin, the request's origin when it is one of several. */
interface CorsHeaders {
  readonly parameters: Record<string, string>;
  readonly templatePrefix: string;
}

function corsHeaders(cors?: apigateway.CorsOptions): CorsHeaders {
  if (!cors) {
    return { parameters: {}, templatePrefix: '' };
  }
  const parameters: Record<string, string> = {};
  if (cors.allowCredentials) {
    parameters['method.response.header.Access-Control-Allow-Credentials'] = '\'true\'';
  }
  if (cors.exposeHeaders && cors.exposeHeaders.length > 0) {
    parameters['method.response.header.Access-Control-Expose-Headers'] = `'${cors.exposeHeaders.join(',')}'`;
  }
  parameters['method.response.header.Access-Control-Allow-Origin'] = `'${cors.allowOrigins[0]}'`;
  if (cors.allowOrigins[0] !== '*') {
    parameters['method.response.header.Vary'] = '\'Origin\'';
  }
  if (cors.allowOrigins.length === 1) {
    return { parameters, templatePrefix: '' };
  }
  // As CDK's own preflight answers several origins: the first origin, replaced by the request's
  // Origin when that is listed (a browser on another origin is refused either way).
  const listed = cors.allowOrigins.map((o) => `$origin == "${o}"`).join(' || ');
  const templatePrefix = [
    '#set($origin = $input.params().header.get("Origin"))',
    '#if("$!origin" == "")#set($origin = $input.params().header.get("origin"))#end',
    `#if(${listed})#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)#end`,
    '',
  ].join('\n');
  return { parameters, templatePrefix };
}

/**
 * The answer to a failed StartExecution. Step Functions answers every client error with HTTP 400,
 * so its error type decides: input it refuses (over 256 KiB once escaped, or not JSON) is the
 * caller's 400; a name taken by another execution (a client that set its own request id twice) 409;
 * throttling and the open-executions limit a 429 to retry; anything else (a missing permission, a
 * disabled key) a 500.
 */
const FAILED_TEMPLATE = [
  '#set($type = "$!input.path(\'$.__type\')")',
  '#if($type.endsWith("InvalidExecutionInput") || $type.endsWith("ValidationException") || $type.endsWith("InvalidName"))',
  '#set($context.responseOverride.status = 400)',
  '{"message":"Step Functions refused the request as the input of the workflow, which takes at most 256 KiB"}',
  '#elseif($type.endsWith("ExecutionAlreadyExists"))',
  '#set($context.responseOverride.status = 409)',
  '{"message":"An execution named after this request id (X-Amzn-RequestId) has already started with another input"}',
  '#elseif($type.endsWith("ThrottlingException") || $type.endsWith("ExecutionLimitExceeded"))',
  '#set($context.responseOverride.status = 429)',
  '{"message":"Too many requests"}',
  '#else',
  '{"message":"The workflow could not be started"}',
  '#end',
].join('\n');

/** The integration of a workflow route and the method responses it needs. */
export function workflowIntegration(workflow: Workflow, role: iam.IRole, parameters: string[], authorization: ApiAuthorization | undefined,
  cors: apigateway.CorsOptions | undefined): { integration: apigateway.Integration; methodResponses: apigateway.MethodResponse[] } {
  const headers = corsHeaders(cors);
  const responseParameters = Object.keys(headers.parameters).length > 0 ? headers.parameters : undefined;
  const integration = new apigateway.AwsIntegration({
    service: 'states',
    action: 'StartExecution',
    integrationHttpMethod: 'POST',
    options: {
      credentialsRole: role,
      // Bodies of other content types are refused (415) rather than passed to Step Functions unread.
      passthroughBehavior: apigateway.PassthroughBehavior.NEVER,
      requestTemplates: { 'application/json': startExecutionTemplate(workflow.stateMachine.stateMachineArn, parameters, authorization) },
      integrationResponses: [
        {
          statusCode: STATUS.started,
          responseParameters,
          responseTemplates: { 'application/json': `${headers.templatePrefix}${STARTED_TEMPLATE}` },
        },
        {
          statusCode: STATUS.failed,
          selectionPattern: '[45]\\d{2}',
          responseParameters,
          responseTemplates: { 'application/json': `${headers.templatePrefix}${FAILED_TEMPLATE}` },
        },
      ],
    },
  });
  const declared = Object.fromEntries(Object.keys(headers.parameters).map((name) => [name, true]));
  // Every status an answer can have, the overridden ones too, with the headers it carries.
  const methodResponses = Object.values(STATUS).map((statusCode) => ({
    statusCode,
    responseParameters: Object.keys(declared).length > 0 ? declared : undefined,
  }));
  return { integration, methodResponses };
}
