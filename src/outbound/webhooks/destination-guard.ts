import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Where a webhook may be sent. Only https, and only to public unicast addresses: loopback,
 * private, link-local (cloud metadata at 169.254.169.254), carrier-grade NAT, unique-local,
 * multicast, reserved and IPv4-mapped forms of these are refused. The check runs on the addresses
 * DNS answers at connect time (the `lookup` given to the request), so a name that changes its
 * answer between attempts, or between a check and a connect, is caught every time.
 * `allowPrivateNetworks` (development and tests only) lifts both rules.
 */
export class DestinationRefused extends Error {}

export function isPublicAddress(address: string): boolean {
  try {
    return ipaddr.process(address).range() === 'unicast';
  } catch {
    return false;
  }
}

export function checkUrl(url: URL, allowPrivateNetworks: boolean): void {
  if (allowPrivateNetworks) {
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      throw new DestinationRefused(`${url.protocol} URLs are not supported`);
    return;
  }
  if (url.protocol !== 'https:') throw new DestinationRefused('Only https URLs are allowed');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) && !isPublicAddress(host)) throw new DestinationRefused(`${host} is not a public address`);
}

/**
 * Why a subscription URL can never be delivered to, known without DNS (a name is checked at each
 * attempt, since its answer may change): not http(s), not https without the flag, or a literal
 * address that is not public. Null when it may be delivered to.
 */
export function destinationProblem(url: string, allowPrivateNetworks: boolean): string | null {
  try {
    checkUrl(new URL(url), allowPrivateNetworks);
    return null;
  } catch (e) {
    return e instanceof DestinationRefused ? e.message : 'Invalid URL';
  }
}

/** A DNS lookup that refuses the whole name when any of its addresses is not public. */
export const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
    if (err) return callback(err, '', 0);
    const bad = addresses.find((a) => !isPublicAddress(a.address));
    if (bad || addresses.length === 0)
      return callback(
        new DestinationRefused(`${hostname} resolves to ${bad?.address ?? 'nothing'}, which is not a public address`),
        '',
        0,
      );
    if ((options as { all?: boolean }).all)
      return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
    callback(null, addresses[0].address, addresses[0].family);
  });
};
