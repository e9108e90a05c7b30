/** What the keys CLI does, whether through the running server or on the database directly. */
export interface KeyView {
  keyId: string;
  label: string | null;
  roles: string[];
  createdAt: string;
  revokedAt: string | null;
}

export interface KeysClient {
  /** Says where the work is done, for the CLI's messages. */
  readonly where: string;
  create(tenantId: string, input: { label?: string; roles?: string[] }): Promise<{ key: string; apiKey: KeyView }>;
  list(tenantId: string): Promise<KeyView[]>;
  revoke(tenantId: string, keyId: string): Promise<void>;
  close(): Promise<void>;
}

export class KeysError extends Error {}
