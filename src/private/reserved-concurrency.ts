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
 * quota of 1,000; new accounts can start far lower (10), and then any reservation fails the deploy
 * ("Lambda quotas"). Nothing at synthesis can read the quota: the library says how much a stack
 * reserves, once per stack, and checks it against the quota when the user declares it as context.
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

function validateReservations(stack: Stack): string[] {
  const reserved = stack.node.findAll()
    .filter((c): c is lambda.CfnFunction => c instanceof lambda.CfnFunction && Stack.of(c) === stack)
    .map((fn) => ({ path: (fn.node.scope ?? fn).node.path.slice(stack.node.path.length + 1), n: fn.reservedConcurrentExecutions }))
    .filter((r): r is { path: string; n: number } => typeof r.n === 'number' && !Token.isUnresolved(r.n) && r.n > 0);
  const total = reserved.reduce((sum, r) => sum + r.n, 0);
  if (total === 0) {
    return [];
  }
  const listed = reserved.slice(0, 5).map((r) => `${r.path}: ${r.n}`).join(', ') + (reserved.length > 5 ? `, and ${reserved.length - 5} more` : '');
  const given: unknown = stack.node.tryGetContext(LAMBDA_CONTEXT.concurrencyQuota);
  // Named like a BulwarkError's construct (a Stack subclass's own name would say nothing).
  const where = `Stack '${stack.node.path}'`;
  if (given === undefined) {
    warn(stack, WARNINGS.reservedConcurrency, total, listed);
    return [];
  }
  const quota = typeof given === 'string' && given.trim() !== '' ? Number(given) : given;
  if (typeof quota !== 'number' || !Number.isInteger(quota) || quota < 1) {
    return [`${where}: context ${LAMBDA_CONTEXT.concurrencyQuota} is ${BulwarkError.show(given)}; it must be the account's regional Lambda `
      + 'concurrency quota, a whole number (Service Quotas: AWS Lambda, "Concurrent executions")'];
  }
  const reservable = Math.max(0, quota - LAMBDA_LIMITS.unreservedConcurrencyMinimum);
  if (total > reservable) {
    return [`${where}: the functions of this stack reserve ${total} concurrent executions (${listed}), but with the account's `
      + `concurrency quota of ${quota} (context ${LAMBDA_CONTEXT.concurrencyQuota}) Lambda lets at most ${reservable} be reserved: it keeps `
      + `${LAMBDA_LIMITS.unreservedConcurrencyMinimum} unreserved and the deploy would fail. Reserve less (reservedConcurrentExecutions, or context `
      + `${LAMBDA_CONTEXT.reservedConcurrency} for REGULATED's default; 0 reserves none) or raise the quota first`];
  }
  return [];
}
