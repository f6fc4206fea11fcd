import { Stack, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { LAMBDA_CONTEXT, LAMBDA_LIMITS } from './defaults/lambda';
import { warn, WARNINGS } from './warnings';
import { BulwarkError } from '../core/errors';

/*
 * Reserved concurrency is taken from the account's regional concurrency quota, of which Lambda keeps
 * 100 unreserved (Lambda developer guide, "Configuring reserved concurrency": "You can reserve up to
 * the Unreserved account concurrency value that is shown, minus 100"). Established accounts have a
 * quota of 1,000; new accounts start with a reduced one ("Lambda quotas"), which may leave nothing to
 * reserve, and then any reservation fails the deploy. Nothing at synthesis can read the quota: the
 * library says how much a stack reserves, once per stack, and checks it against the quota when the
 * user declares it as context, adding up every stack of the app that deploys to the same account
 * and region (stacks whose account or region is unknown at synthesis count as one place).
 */

const WATCHED = new WeakSet<Stack>();

/** Checks, at synthesis, the concurrency the functions of `scope`'s stack reserve in total (once per stack). */
export function checkStackReservations(scope: IConstruct): void {
  const stack = Stack.of(scope);
  if (WATCHED.has(stack)) {
    return;
  }
  WATCHED.add(stack);
  stack.node.addValidation({ validate: () => validateReservations(stack) });
}

/** One function's reservation. */
interface Reservation {
  readonly stack: Stack;
  /** The function's path, from the app's root for another stack's, from its stack's otherwise. */
  readonly path: string;
  readonly n: number;
}

/** Where a stack deploys: its account and region, `?` where they are not known at synthesis. */
function environmentOf(stack: Stack): string {
  const known = (value: string) => (Token.isUnresolved(value) ? '?' : value);
  return `${known(stack.account)}/${known(stack.region)}`;
}

/** The reservations of every function of the app that deploys where `stack` does, in construct order. */
function reservationsBeside(stack: Stack): Reservation[] {
  const where = environmentOf(stack);
  return stack.node.root.node.findAll()
    .filter((c): c is lambda.CfnFunction => c instanceof lambda.CfnFunction && environmentOf(Stack.of(c)) === where)
    .map((fn) => {
      const own = Stack.of(fn);
      const named = fn.node.scope ?? fn;
      const path = own === stack ? named.node.path.slice(stack.node.path.length + 1) : named.node.path;
      return { stack: own, path, n: fn.reservedConcurrentExecutions };
    })
    .filter((r): r is Reservation => typeof r.n === 'number' && !Token.isUnresolved(r.n) && r.n > 0);
}

function list(reserved: readonly Reservation[]): string {
  return reserved.slice(0, 5).map((r) => `${r.path}: ${r.n}`).join(', ') + (reserved.length > 5 ? `, and ${reserved.length - 5} more` : '');
}

function total(reserved: readonly Reservation[]): number {
  return reserved.reduce((sum, r) => sum + r.n, 0);
}

/** A whole number from context (`cdk.json` gives a number, `cdk synth -c key=5` a string), or undefined. */
export function contextWholeNumber(given: unknown): number | undefined {
  if (typeof given === 'number' && Number.isInteger(given)) {
    return given;
  }
  return typeof given === 'string' && /^\s*\d+\s*$/.test(given) ? Number(given) : undefined;
}

function validateReservations(stack: Stack): string[] {
  const beside = reservationsBeside(stack);
  const own = beside.filter((r) => r.stack === stack);
  if (own.length === 0) {
    return [];
  }
  const given: unknown = stack.node.tryGetContext(LAMBDA_CONTEXT.concurrencyQuota);
  // Named like a BulwarkError's construct (a Stack subclass's own name would say nothing).
  const where = `Stack '${stack.node.path}'`;
  if (given === undefined) {
    warn(stack, WARNINGS.reservedConcurrency, total(own), list(own));
    return [];
  }
  const quota = contextWholeNumber(given);
  if (quota === undefined || quota < 1) {
    return [`${where}: context ${LAMBDA_CONTEXT.concurrencyQuota} is ${BulwarkError.show(given)}; it must be the account's regional Lambda `
      + 'concurrency quota, a whole number (Service Quotas: AWS Lambda, "Concurrent executions")'];
  }
  // The quota is the account's in a region: every stack of the app that deploys there takes from it.
  // The first of them that checks its reservations reports it, once.
  if (beside.find((r) => WATCHED.has(r.stack))?.stack !== stack) {
    return [];
  }
  const reservable = Math.max(0, quota - LAMBDA_LIMITS.unreservedConcurrencyMinimum);
  const sum = total(beside);
  if (sum <= reservable) {
    return [];
  }
  const stacks = new Set(beside.map((r) => r.stack));
  const whose = stacks.size > 1
    ? `the functions of the ${stacks.size} stacks of this app that deploy to ${environmentOf(stack).replace('/', ' ')} reserve ${sum}`
    : `the functions of this stack reserve ${sum}`;
  return [`${where}: ${whose} concurrent executions (${list(beside)}), but with the account's `
    + `concurrency quota of ${quota} (context ${LAMBDA_CONTEXT.concurrencyQuota}) Lambda lets at most ${reservable} be reserved: it keeps `
    + `${LAMBDA_LIMITS.unreservedConcurrencyMinimum} unreserved and the deploy would fail. Reserve less (reservedConcurrentExecutions, or context `
    + `${LAMBDA_CONTEXT.reservedConcurrency} for REGULATED's default; 0 reserves none) or raise the quota first`];
}
