import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ApiAuthorization } from './api-authorization';
import { ApiMethod } from '../core/api-method';

// Internal to the library: the route pieces of SecureApi (what a route's method integrates with,
// the resource tree, API Gateway's own answers with CORS), apart from the construct that uses them.

/** What a route sends its requests to. */
export interface RouteTarget {
  readonly integration: apigateway.Integration;
  /** The answers the method declares (a Lambda proxy integration needs none). */
  readonly methodResponses?: apigateway.MethodResponse[];
  /** A grant the integration needs, deployed before the method. */
  readonly grant?: iam.Grant;
}

/** A route's target: checked before the route is registered (nothing made), then made. */
export interface RouteTargetFactory {
  check(label: string, method: ApiMethod): void;
  make(segments: string[], authorization?: ApiAuthorization): RouteTarget;
}

/**
 * API Gateway's own answers (401 and 403 from authorizers and the firewall, 400 from validation,
 * 429 from throttling) carry no CORS headers, so browsers report a CORS error instead of the
 * status. With one origin the header is a constant and can be added; several origins would need
 * the request's origin echoed, which gateway responses cannot do.
 */
export function addCorsToGatewayResponses(api: apigateway.RestApi, cors?: apigateway.CorsOptions): void {
  if (!cors || cors.allowOrigins.length !== 1) {
    return;
  }
  const responseHeaders: Record<string, string> = { 'Access-Control-Allow-Origin': `'${cors.allowOrigins[0]}'`, 'Vary': '\'Origin\'' };
  if (cors.allowCredentials) {
    responseHeaders['Access-Control-Allow-Credentials'] = '\'true\'';
  }
  api.addGatewayResponse('CorsDefault4xx', { type: apigateway.ResponseType.DEFAULT_4XX, responseHeaders });
  api.addGatewayResponse('CorsDefault5xx', { type: apigateway.ResponseType.DEFAULT_5XX, responseHeaders });
}

/**
 * Path parts whose name is a construct id CDK gives a resource's other children (its `Resource` and
 * the methods named after HTTP methods), or that CDK hides from logical ids (`Default`): a Resource
 * construct named after one of them collides. They are legal in API Gateway paths.
 */
const RESERVED_IDS: ReadonlySet<string> = new Set(['Default', 'Resource', ...Object.values(ApiMethod)]);

/**
 * The child resource of `parent` for one path part, made if missing. Like CDK's `resourceForPath()`,
 * which names each Resource construct after its path part, except for the reserved names above,
 * whose constructs are named `Path <part>` (a space never occurs in a path part, so no other part can
 * take that id). Every other part keeps CDK's construct id, so templates do not change.
 */
export function childResource(parent: apigateway.IResource, part: string): apigateway.IResource {
  if (!RESERVED_IDS.has(part)) {
    return parent.getResource(part) ?? parent.addResource(part);
  }
  const id = `Path ${part}`;
  return (parent.node.tryFindChild(id) as apigateway.Resource | undefined)
    ?? new apigateway.Resource(parent as unknown as Construct, id, { parent, pathPart: part });
}
