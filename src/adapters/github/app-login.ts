import type { Probot } from "probot";

/**
 * The login the app's own comments and check runs carry, `<slug>[bot]`, asked of GitHub once
 * (`GET /app`, as the app) and kept; a failed lookup is asked again next time.
 */
export function appLoginOf(app: Pick<Probot, "auth">): () => Promise<string> {
  let login: Promise<string> | undefined;
  return () => {
    login ??= app
      .auth()
      .then((octokit) => octokit.rest.apps.getAuthenticated())
      .then(({ data }) => {
        if (!data?.slug) throw new Error("GET /app answered without the app's slug");
        return `${data.slug}[bot]`;
      })
      .catch((e: unknown) => {
        login = undefined;
        throw e;
      });
    return login;
  };
}
