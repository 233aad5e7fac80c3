// `/workato-jobs customers [text]`: the customers this channel may see, from the cached directory, privately.
import { visibleCustomers } from "../../customers/customer-lookup.js";
import { nameKey } from "../../customers/customer-names.js";
import { allowed } from "../access-gate.js";
import { buildCustomerListMessage } from "../blocks/customer-list-blocks.js";
import type { CustomersCommand } from "../commands/grammar.js";
import type { CommandContext } from "../commands/slash-command.js";
import type { HandlerDeps } from "../handler-deps.js";

export async function listCustomers(
  deps: Pick<HandlerDeps, "access" | "poster" | "customers">,
  command: CustomersCommand,
  { who, responseUrl }: CommandContext,
): Promise<void> {
  if (!(await allowed(deps, who, "channel", undefined, responseUrl))) return;
  // The first read happens now for the person waiting; afterwards the cached list answers (refreshed in the background).
  const snapshot =
    deps.customers.snapshot().loadedAt === null && deps.access.seesAnyCustomer(who.channel)
      ? await deps.customers.refreshForMiss()
      : deps.customers.snapshot();
  const wanted = nameKey(command.text);
  const lowered = command.text.trim().toLowerCase();
  const customers = visibleCustomers(snapshot, (customer) => deps.access.maySee(who.channel, customer))
    .filter(
      ({ customer, ref }) =>
        lowered === "" ||
        (wanted !== "" && nameKey(customer.name).includes(wanted)) ||
        ref.display.toLowerCase().includes(lowered) ||
        (customer.externalId?.toLowerCase().includes(lowered) ?? false),
    )
    .sort((a, b) => a.name.localeCompare(b.name, "en", { sensitivity: "base" }))
    .map(({ name, ref, customer }) => ({ name, ref, externalId: customer.externalId }));
  await deps.poster.respond(
    responseUrl,
    buildCustomerListMessage({
      customers,
      text: command.text,
      loadedAt: snapshot.loadedAt,
      problem: snapshot.problem,
    }),
  );
}
