import { homedir } from "node:os";
import path from "node:path";

/**
 * The user's cache folder for mlops-bot, outside any repository: `$XDG_CACHE_HOME/mlops-bot`
 * (an absolute XDG_CACHE_HOME only, as the spec says), else `~/Library/Caches/mlops-bot` on
 * macOS, `%LOCALAPPDATA%\mlops-bot\Cache` on Windows, `~/.cache/mlops-bot` elsewhere.
 */
export function userCacheDir(params: { env: NodeJS.ProcessEnv; platform?: NodeJS.Platform; home?: string }): string {
  const { env } = params;
  const platform = params.platform ?? process.platform;
  const home = params.home ?? env.HOME ?? homedir();
  if (env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME)) return path.join(env.XDG_CACHE_HOME, "mlops-bot");
  if (platform === "darwin") return path.join(home, "Library", "Caches", "mlops-bot");
  if (platform === "win32") return path.join(env.LOCALAPPDATA ?? path.join(home, "AppData", "Local"), "mlops-bot", "Cache");
  return path.join(home, ".cache", "mlops-bot");
}
