import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { TabSsoSettings } from '../config.js';

/**
 * Validates the Teams tab SSO token (`authentication.getAuthToken()`): an Entra ID access token
 * issued for the tab's app. Checked: RS256 signature against the tenant's published keys, the
 * issuer (v2 `https://login.microsoftonline.com/<tenant>/v2.0` or v1
 * `https://sts.windows.net/<tenant>/`), the audience (the tab's Application ID URI or client id),
 * expiry and not-before (with a little clock skew), the tenant (`tid`), that it is a user's
 * delegated token for the tab (`scp` has `access_as_user`) and that it names the user (`oid`).
 */

/** The delegated scope Teams tab SSO asks for (the app registration's "Expose an API" scope). */
export const TAB_SCOPE = 'access_as_user';
/** Allowed clock difference between Entra ID and this server, in seconds. */
export const CLOCK_SKEW_SECONDS = 120;
/** The oldest token accepted (by `iat`), in seconds, whatever its `exp` says. */
export const MAX_TOKEN_AGE_SECONDS = 24 * 3600;

export interface SsoUser {
  /** The user's Entra object id: the staff directory's aadObjectId. */
  oid: string;
  tid: string;
  name: string | null;
}

export type SsoResult = { ok: true; user: SsoUser } | { ok: false; reason: SsoFailure; error: string };

export type SsoFailure =
  | 'missing'
  | 'malformed'
  | 'expired'
  | 'not_yet_valid'
  | 'wrong_audience'
  | 'wrong_issuer'
  | 'bad_signature'
  | 'wrong_tenant'
  | 'wrong_scope'
  | 'no_user'
  | 'keys_unavailable';

const MESSAGES: Record<SsoFailure, string> = {
  missing: 'Sign-in is needed: open the Case Records tab in Microsoft Teams.',
  malformed: 'The sign-in token is not valid. Reload the tab in Teams.',
  expired: 'Your Teams sign-in token has expired. Reload the tab in Teams.',
  not_yet_valid: 'The sign-in token is not valid yet. Check the computer’s clock and reload the tab.',
  wrong_audience: 'The sign-in token was not issued for this app.',
  wrong_issuer: 'The sign-in token was not issued by your organisation’s Microsoft Entra ID.',
  bad_signature: 'The sign-in token’s signature could not be verified.',
  wrong_tenant: 'The sign-in token is from another organisation.',
  wrong_scope: 'The sign-in token does not allow access to this app as a user.',
  no_user: 'The sign-in token does not say who you are.',
  keys_unavailable:
    'Your sign-in could not be checked just now (the signing keys could not be fetched). Try again in a moment.',
};

export function ssoFailure(reason: SsoFailure): { ok: false; reason: SsoFailure; error: string } {
  return { ok: false, reason, error: MESSAGES[reason] };
}

export function issuersFor(tenantId: string): string[] {
  return [`https://login.microsoftonline.com/${tenantId}/v2.0`, `https://sts.windows.net/${tenantId}/`];
}

export class SsoValidator {
  private readonly keys: JWTVerifyGetKey;
  private readonly issuers: string[];

  constructor(
    private readonly settings: TabSsoSettings,
    /** The product's clock: expiry is judged against it, so tests can fix the time. */
    private readonly now: () => Date,
    keys?: JWTVerifyGetKey,
  ) {
    this.keys =
      keys ??
      createRemoteJWKSet(new URL(settings.jwksUrl), {
        timeoutDuration: 5000,
        cooldownDuration: 30_000,
        cacheMaxAge: 6 * 3600_000,
      });
    this.issuers = issuersFor(settings.tenantId);
  }

  /** The value of an `Authorization` header, or undefined when there is none. */
  async validateHeader(header: string | undefined): Promise<SsoResult> {
    if (!header) return ssoFailure('missing');
    const match = /^Bearer\s+([A-Za-z0-9_\-.]+)\s*$/i.exec(header);
    if (!match) return ssoFailure('malformed');
    return this.validate(match[1]!);
  }

  async validate(token: string): Promise<SsoResult> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.keys, {
        algorithms: ['RS256'],
        issuer: this.issuers,
        audience: this.settings.audiences,
        currentDate: this.now(),
        clockTolerance: CLOCK_SKEW_SECONDS,
        // Also refuses a token issued in the future; Entra access tokens live far less than this.
        maxTokenAge: MAX_TOKEN_AGE_SECONDS,
        requiredClaims: ['exp', 'iat', 'oid', 'tid'],
      }));
    } catch (error) {
      return ssoFailure(classify(error));
    }
    if (typeof payload.tid !== 'string' || payload.tid.toLowerCase() !== this.settings.tenantId) {
      return ssoFailure('wrong_tenant');
    }
    const scopes = typeof payload.scp === 'string' ? payload.scp.split(' ') : [];
    if (!scopes.includes(TAB_SCOPE)) return ssoFailure('wrong_scope');
    if (typeof payload.oid !== 'string' || !payload.oid.trim()) return ssoFailure('no_user');
    return {
      ok: true,
      user: {
        oid: payload.oid.trim().toLowerCase(),
        tid: payload.tid.toLowerCase(),
        name: typeof payload.name === 'string' ? payload.name : null,
      },
    };
  }
}

function classify(error: unknown): SsoFailure {
  if (error instanceof errors.JWTExpired) return 'expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'nbf' || error.claim === 'iat')
      return error.reason === 'check_failed' ? 'not_yet_valid' : 'malformed';
    if (error.claim === 'aud') return 'wrong_audience';
    if (error.claim === 'iss') return 'wrong_issuer';
    if (error.claim === 'oid') return 'no_user';
    if (error.claim === 'tid') return 'wrong_tenant';
    return 'malformed';
  }
  if (
    error instanceof errors.JWSSignatureVerificationFailed ||
    error instanceof errors.JWKSNoMatchingKey ||
    error instanceof errors.JWKSMultipleMatchingKeys ||
    error instanceof errors.JOSEAlgNotAllowed
  ) {
    return 'bad_signature';
  }
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) return 'keys_unavailable';
  if (error instanceof errors.JOSEError) return 'malformed';
  // A network failure fetching the keys.
  return 'keys_unavailable';
}
