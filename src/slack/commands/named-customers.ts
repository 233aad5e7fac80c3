// A command whose <customer> was taken as a name: answered only after the channel check (the answer may name
// customers), with the customer directory read again when it did not know the name, then the command read again.
import type { Logger } from "pino";
import type { Requester } from "../../access/access-check.js";
import type { DirectorySnapshot } from "../../customers/customer-directory.js";
import { createCustomerResolver, type ResolveCustomer } from "../../customers/customer-lookup.js";
import { allowed } from "../access-gate.js";
import { buildUsageError } from "../blocks/help-blocks.js";
import type { HandlerDeps } from "../handler-deps.js";
import { type Command, parseCommand } from "./grammar.js";

/** How this channel's <customer> is read: ids, ext: ids, aliases, and the names of customers it may see. */
export function customerResolver(
  deps: Pick<HandlerDeps, "access">,
  channel: string,
  snapshot: DirectorySnapshot,
): ResolveCustomer {
  return createCustomerResolver({
    resolveAlias: deps.access.resolveAlias,
    maySee: (customer) => deps.access.maySee(channel, customer),
    snapshot,
  });
}

/** The command, or null once the person has been told why not (a denial, or what is wrong with the name). */
export async function readWithCustomerNames(
  deps: Pick<HandlerDeps, "access" | "poster" | "customers">,
  text: string,
  who: Requester,
  responseUrl: string,
  log: Logger,
): Promise<Command | null> {
  if (!(await allowed(deps, who, "channel", undefined, responseUrl))) return null;
  // A name the cached list does not know may belong to a customer added since: read the list again (rate-limited),
  // unless this channel may see no customer at all, when no name could ever be one it may use.
  const snapshot = deps.access.seesAnyCustomer(who.channel)
    ? await deps.customers.refreshForMiss()
    : deps.customers.snapshot();
  const parsed = parseCommand(text, customerResolver(deps, who.channel, snapshot));
  if (parsed.ok) return parsed.command;
  log.info({ problem: parsed.problem }, "customer name not understood");
  await deps.poster.respond(responseUrl, buildUsageError(parsed.problem, parsed.usage));
  return null;
}
