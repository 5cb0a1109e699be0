/// <reference types="vite/client" />
interface ImportMetaEnv {
  readonly VITE_QLF_API_BASE?: string;
  readonly VITE_QLF_WS_PATH?: string;
  readonly VITE_QLF_POLL_MS?: string;
}
