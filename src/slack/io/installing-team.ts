// Which Slack team the app is installed in (auth.test): the access checker compares every user's team with it.
import type { WebClient } from "@slack/web-api";

export async function readInstallingTeam(client: WebClient): Promise<string | undefined> {
  return (await client.auth.test()).team_id;
}
