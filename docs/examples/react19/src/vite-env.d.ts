/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** The BFF's origin, e.g. https://okr.acme.example. */
  readonly VITE_OKR_BASE_URL: string;
}
