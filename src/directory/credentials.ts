import {
  ClientCertificateCredential,
  ClientSecretCredential,
  ManagedIdentityCredential,
  type AccessToken,
  type TokenCredential,
} from '@azure/identity';

/** How the sync signs in to Microsoft Graph: always as the application itself (app-only). */
export type GraphAuth =
  | { kind: 'client_secret'; tenantId: string; clientId: string; secret: string }
  | { kind: 'certificate'; tenantId: string; clientId: string; certificatePath: string }
  /** `clientId` null: the system-assigned identity. */
  | { kind: 'managed_identity'; clientId: string | null }
  /** A fixed bearer token, for a fake Graph on this machine only (never in production). */
  | { kind: 'dev_token'; token: string };

/** A credential that always gives the same token: for the local fake Graph. */
export class StaticTokenCredential implements TokenCredential {
  constructor(private readonly token: string) {}

  getToken(): Promise<AccessToken> {
    return Promise.resolve({ token: this.token, expiresOnTimestamp: Date.now() + 3600_000 });
  }
}

export function createCredential(auth: GraphAuth): TokenCredential {
  switch (auth.kind) {
    case 'client_secret':
      return new ClientSecretCredential(auth.tenantId, auth.clientId, auth.secret);
    case 'certificate':
      return new ClientCertificateCredential(auth.tenantId, auth.clientId, {
        certificatePath: auth.certificatePath,
      });
    case 'managed_identity':
      return auth.clientId
        ? new ManagedIdentityCredential({ clientId: auth.clientId })
        : new ManagedIdentityCredential();
    case 'dev_token':
      return new StaticTokenCredential(auth.token);
  }
}
