// The fake Slack's public surface: start the server, read what the app posted, check Block Kit limits, find buttons.
export {
  blocksTextLength,
  MAX_BLOCKS_PER_MESSAGE,
  MAX_BLOCKS_PER_VIEW,
  MAX_MESSAGE_TEXT_LENGTH,
  MAX_TOTAL_BLOCK_TEXT_LENGTH,
  validateBlocks,
  validateMessageContent,
} from "./block-kit-limits.js";
export { type ButtonQuery, type FoundButton, findButton, listButtons } from "./buttons.js";
export type { PublishedView } from "./home-views.js";
export { type FakeMessage, type MessageChange, toSlackMessageJson } from "./messages.js";
export type { OpenedModal } from "./modals.js";
export {
  type BucketLimit,
  DEFAULT_SLACK_RATE_LIMITS,
  type SlackRateLimitOptions,
} from "./rate-limits.js";
export { RESPONSE_URL_MAX_USES, RESPONSE_URL_TTL_MS } from "./response-urls.js";
export {
  type FakeSlack,
  type FakeSlackOptions,
  type InjectedFailure,
  type SlackCall,
  startFakeSlack,
} from "./server.js";
export type { WaitForOptions } from "./wait-for.js";
export type { FakeChannel } from "./workspace.js";
