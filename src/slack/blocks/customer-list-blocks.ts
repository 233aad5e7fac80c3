// The private answer to /workato-jobs customers: the customers this channel may see, with the ids to type.
import type { KnownBlock } from "@slack/types";
import type { CustomerRef } from "../../workato/customer-ref.js";
import { context, type SlackMessage, section } from "./elements.js";
import { countOf, escapeTruncated, inlineCode } from "./format.js";
import { packLines, SLACK_LIMITS } from "./limits.js";

export interface CustomerLine {
  name: string;
  /** the reference this channel may use */
  ref: CustomerRef;
  externalId: string | null;
}

export interface CustomerListMessageInput {
  /** already limited to what the channel may see, and matching `text` */
  customers: readonly CustomerLine[];
  /** what the list was narrowed by; empty for all */
  text: string;
  /** when the directory was read (epoch ms); null when it never was */
  loadedAt: number | null;
  /** why the directory could not be read, if it could not */
  problem: string | null;
}

/** More lines than this are not worth scrolling: narrow by text instead. */
const MAX_LINES = 100;

function customerLine(customer: CustomerLine): string {
  const name = customer.name.trim() === "" ? "(no name)" : escapeTruncated(customer.name, 100);
  const ids = [inlineCode(customer.ref.display)];
  if (customer.externalId !== null && customer.ref.kind !== "external_id") {
    ids.push(`ext ${inlineCode(customer.externalId)}`);
  }
  return `• *${name}* · ${ids.join(" · ")}`;
}

export function buildCustomerListMessage(input: CustomerListMessageInput): SlackMessage {
  const narrowed = input.text.trim() === "" ? "" : ` matching "${input.text.trim()}"`;
  const heading = `*Customers this channel may see*${escapeTruncated(narrowed, 80)}`;
  if (input.customers.length === 0) {
    const why =
      input.loadedAt === null && input.problem !== null
        ? input.problem
        : `No customer this channel may see${narrowed ? ` has a name or id${narrowed}` : ""}.`;
    return { text: why, blocks: [section(`${heading}\n${escapeTruncated(why, 2000)}`)] };
  }
  const lines = input.customers.slice(0, MAX_LINES).map(customerLine);
  const packed = packLines([heading, ...lines], {
    maxSections: SLACK_LIMITS.blocksPerMessage - 2,
    maxTotalText: SLACK_LIMITS.messageBlockText - 400,
  });
  const blocks: KnownBlock[] = packed.texts.map((text) => section(text));
  const notShown = input.customers.length - (packed.shown - 1);
  const notes = ["Type a name (or its start) wherever a command takes <customer>."];
  if (notShown > 0)
    notes.unshift(`${countOf(notShown, "more customer")} not shown: add text to narrow the list.`);
  blocks.push(context(escapeTruncated(notes.join(" "), 2000)));
  return { text: `${countOf(input.customers.length, "customer")} this channel may see${narrowed}`, blocks };
}
