/** Start-up configuration, validated once: every value has a default that works when the app
 * is served by Django (same origin). Overrides come from VITE_* build variables. */
export type AppConfig = {
  apiBase: string;
  monitorSocketPath: string;
  pollMs: number;
};

function read(): AppConfig {
  const raw = {
    apiBase: import.meta.env.VITE_QLF_API_BASE ?? '/api',
    monitorSocketPath: import.meta.env.VITE_QLF_WS_PATH ?? '/ws/monitor/',
    pollMs: Number(import.meta.env.VITE_QLF_POLL_MS ?? 2000),
  };
  const problems: string[] = [];
  if (!String(raw.apiBase).startsWith('/')) problems.push('VITE_QLF_API_BASE must start with /');
  if (!String(raw.monitorSocketPath).startsWith('/'))
    problems.push('VITE_QLF_WS_PATH must start with /');
  if (!Number.isFinite(raw.pollMs) || raw.pollMs < 200)
    problems.push('VITE_QLF_POLL_MS must be a number ≥ 200');
  if (problems.length) throw new Error(`Invalid configuration:\n- ${problems.join('\n- ')}`);
  return raw as AppConfig;
}

export const config = read();
