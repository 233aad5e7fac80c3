// For end-to-end tests: opens a person's App Home tab as Slack does, with a signed app_home_opened event.
import { type Harness, SIGNING_SECRET } from "../../sim/app-harness.js";
import { signSlackRequest } from "../../sim/slack-requests.js";

/** The HTTP status the app answered the event with; the view itself arrives in the fake Slack. */
export async function openHome(harness: Harness, userId: string): Promise<number> {
  const body = JSON.stringify({
    type: "event_callback",
    team_id: harness.slack.teamId,
    api_app_id: "AFAKEAPP",
    event: { type: "app_home_opened", user: userId, channel: "D0HOME", tab: "home", event_ts: "1.000001" },
    event_id: `Ev${Date.now()}`,
    event_time: Math.floor(Date.now() / 1000),
  });
  const response = await fetch(`${harness.appUrl}/slack/events`, {
    method: "POST",
    headers: { "content-type": "application/json", ...signSlackRequest(SIGNING_SECRET, body) },
    body,
  });
  await response.arrayBuffer();
  return response.status;
}
