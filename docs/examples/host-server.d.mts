export declare const exampleUser: { sub: string; name: string; email: string; teams: string[] };
export declare function startExampleHost(options: {
  root: string;
  port?: number;
  key: { kid: string; secret: Buffer; issuer: string };
}): Promise<{ origin: string; close(): Promise<void> }>;
