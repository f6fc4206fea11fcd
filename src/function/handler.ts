import { Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { SecureFunction, SecureFunctionProps } from './secure-function';
import { FUNCTION_ALARMS, functionMetrics } from './secure-function-monitoring';
import { ComplianceProfile } from '../core/compliance-profile';
import { BulwarkError } from '../core/errors';
import { AlarmSet } from '../private/alarm-set';
import { ConstructContext } from '../private/context';
import { LAMBDA_DEFAULTS } from '../private/defaults/lambda';
import { scopeServicePermissions } from '../private/invoke-permissions';
import { checkDuration } from '../private/validation';

// Internal to the library (not re-exported from index.ts): the one way a construct that takes
// `handler` or `handlerProps` resolves its function. In the function folder, not in src/private,
// because it creates a SecureFunction (imports run building blocks -> private).

/** The props of a construct that consumes with a function of yours or a created SecureFunction. */
export interface HandlerChoice {
  readonly handler?: lambda.IFunction;
  readonly handlerProps?: SecureFunctionProps;
}

/** The construct id of the created handler. Construct ids are API. */
export const HANDLER_ID = 'Handler';

/**
 * Throws unless exactly one of `handler` and `handlerProps` is given (`null`, Python's None, counts
 * as not given), and the given one has the right shape. Returns the choice with nulls removed.
 */
export function checkHandlerChoice(scope: Construct, props: HandlerChoice): HandlerChoice {
  const choice: HandlerChoice = { handler: props.handler ?? undefined, handlerProps: props.handlerProps ?? undefined };
  if ((choice.handler === undefined) === (choice.handlerProps === undefined)) {
    throw new BulwarkError(scope, choice.handler
      ? 'handler and handlerProps cannot be set together; give handler (a function of yours) or handlerProps (to create a SecureFunction)'
      : 'a handler is required; give handler (a function of yours) or handlerProps (to create a SecureFunction)');
  }
  const given: unknown = choice.handler;
  if (given !== undefined && (!Construct.isConstruct(given) || typeof (given as Partial<lambda.IFunction>).functionArn !== 'string')) {
    throw BulwarkError.invalid(scope, 'handler', Construct.isConstruct(given) ? given.node.path : given,
      'it must be a Lambda function (lambda.IFunction), such as a SecureFunction\'s lambdaFunction');
  }
  if (choice.handlerProps !== undefined && (typeof choice.handlerProps !== 'object' || Array.isArray(choice.handlerProps))) {
    throw BulwarkError.invalid(scope, 'handlerProps', choice.handlerProps, 'it must be SecureFunctionProps: { code, handler, ... }');
  }
  if (choice.handlerProps?.alarms !== undefined) {
    throw new BulwarkError(scope, 'handlerProps.alarms cannot be set; set the handler\'s alarms with alarms.handlerErrors and alarms.handlerThrottles');
  }
  checkDuration(scope, 'handlerProps.timeout', choice.handlerProps?.timeout, Duration.seconds(1), Duration.minutes(15));
  return choice;
}

/** The handler's timeout: the created one's (its default when unset), or a brought function's when it can be read. */
export function handlerTimeout(choice: HandlerChoice): Duration | undefined {
  return choice.handlerProps ? (choice.handlerProps.timeout ?? LAMBDA_DEFAULTS.timeout) : timeoutOf(choice.handler);
}

/**
 * The handler's reserved concurrency: for a created one, what its props say, else what its
 * profile reserves (at least `minimum`, an event source's concurrency); for a brought one, what it
 * has, when it can be read.
 */
export function handlerReservedConcurrency(choice: HandlerChoice, context: ConstructContext, minimum?: number): number | undefined {
  if (!choice.handlerProps) {
    return reservedConcurrencyOf(choice.handler);
  }
  if (choice.handlerProps.reservedConcurrentExecutions !== undefined) {
    return choice.handlerProps.reservedConcurrentExecutions;
  }
  const reserved = handlerTraits(choice, context).reservedConcurrency;
  return reserved === undefined ? undefined : Math.max(minimum ?? 0, reserved);
}

/** The traits of the created handler's profile (its own `complianceProfile`, else the construct's). */
function handlerTraits(choice: HandlerChoice, context: ConstructContext) {
  const own: ComplianceProfile | undefined = choice.handlerProps?.complianceProfile;
  return own === undefined ? context.traits : context.traitsFor(own);
}

/** The resolved handler. */
export interface ResolvedHandler {
  /** The function to wire. */
  readonly fn: lambda.IFunction;
  /** The created SecureFunction, unless a function was brought. */
  readonly secureFunction?: SecureFunction;
  /** Whether the function belongs to a SecureFunction (created or brought), which has its own alarms and dashboard section. */
  readonly monitoredElsewhere: boolean;
}

/**
 * Creates the `Handler` SecureFunction from `handlerProps` (with the construct's profile and
 * monitoring unless its props say otherwise) or adopts the brought `handler`.
 */
export function resolveHandler(scope: Construct, context: ConstructContext, choice: HandlerChoice,
  overrides: Partial<SecureFunctionProps> = {}): ResolvedHandler {
  if (choice.handlerProps) {
    const secureFunction = new SecureFunction(scope, HANDLER_ID, {
      ...choice.handlerProps,
      complianceProfile: choice.handlerProps.complianceProfile ?? context.profile,
      monitoring: choice.handlerProps.monitoring ?? context.monitoring as SecureFunctionProps['monitoring'],
      ...overrides,
    });
    return { fn: secureFunction.lambdaFunction, secureFunction, monitoredElsewhere: true };
  }
  const fn = choice.handler!;
  // The construct is about to give services permission to invoke it (integrations, targets, subscriptions).
  scopeServicePermissions(fn);
  return { fn, monitoredElsewhere: fn.node.scope instanceof SecureFunction };
}

/** The timeout of a function created in this app (also behind an alias or version), if known. */
function timeoutOf(fn: lambda.IFunction | undefined): Duration | undefined {
  const target = underlying(fn);
  // Lambda's own default timeout is 3 seconds.
  return target instanceof lambda.Function ? target.timeout ?? Duration.seconds(3) : undefined;
}

/** The reserved concurrency of a function created in this app (also behind an alias or version), if set. */
function reservedConcurrencyOf(fn: lambda.IFunction | undefined): number | undefined {
  const cfn = underlying(fn)?.node.defaultChild;
  return cfn instanceof lambda.CfnFunction ? cfn.reservedConcurrentExecutions : undefined;
}

function underlying(fn: lambda.IFunction | undefined): lambda.IFunction | undefined {
  return fn instanceof lambda.Alias ? fn.version.lambda : fn instanceof lambda.Version ? fn.lambda : fn;
}

/**
 * The handler's alarms, keyed `handlerErrors` and `handlerThrottles` in a construct's alarms prop:
 * passed to a created handler (its own SecureFunction alarms), made by the construct for a function
 * of yours.
 */
export const HANDLER_ALARMS = {
  handlerErrors: { ...FUNCTION_ALARMS.errors, option: 'handlerErrors' },
  handlerThrottles: { ...FUNCTION_ALARMS.throttles, option: 'handlerThrottles' },
};

/** Refuses handler alarm options for a brought SecureFunction's function, which has its own alarms (they would not take effect). */
export function refuseHandlerAlarms(alarms: AlarmSet, choice: HandlerChoice): void {
  const brought = choice.handler;
  if (brought && brought.node.scope instanceof SecureFunction) {
    const reason = `the handler is the function of the SecureFunction ${brought.node.scope.node.path}, which has its own alarm: `
      + 'tune it with that SecureFunction\'s alarms';
    alarms.refuse(HANDLER_ALARMS.handlerErrors, reason);
    alarms.refuse(HANDLER_ALARMS.handlerThrottles, reason);
  }
}

/** The handler's error and throttle alarms, made by the construct for a function that no SecureFunction watches. */
export function addHandlerAlarms(alarms: AlarmSet, handler: ResolvedHandler, where: string): void {
  if (!handler.monitoredElsewhere) {
    const metrics = functionMetrics(handler.fn);
    alarms.add(HANDLER_ALARMS.handlerErrors, metrics.errors, { where });
    alarms.add(HANDLER_ALARMS.handlerThrottles, metrics.throttles, { where });
  }
}
