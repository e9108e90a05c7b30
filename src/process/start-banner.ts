/**
 * The last thing a start prints: where the docs are, which demo tenants exist and how to get their
 * keys, and one request that returns real slots today. The request is the README's, with the port
 * and the date filled in.
 */
export interface BannerFacts {
  /** Where a person on this machine reaches the server, e.g. http://localhost:8080. */
  baseUrl: string;
  /** Demo tenants present in the database. */
  demoTenants: string[];
  /** Whether this start created tenants and logged their first keys above. */
  keysLoggedAbove: boolean;
  /** The generated operator token's file, when the operator token came from it. */
  adminTokenFile: string | null;
  now: Date;
}

/** The demo request: Madrid (postal code 28036) is served by masmovil's `madrid` territory every day. */
export const DEMO_SLOT_TENANT = 'masmovil';

/** A day that is inside the demo service's horizon (60 days) and past its minimum notice (1 hour): tomorrow, UTC. */
export function demoDay(now: Date): string {
  return new Date(now.getTime() + 86_400_000).toISOString().slice(0, 10);
}

export function demoSlotRequest(baseUrl: string, day: string, keyExpression = '$KEY'): string {
  const query = `serviceIds=installation&postalCode=28036&from=${day}T00:00:00Z&to=${day}T23:59:59Z`;
  return (
    `curl -s "${baseUrl}/admin/v1/tenants/${DEMO_SLOT_TENANT}/slots?${query}" ` +
    `-H "Authorization: Bearer ${keyExpression}"`
  );
}

export function startBanner(f: BannerFacts): string {
  const lines = [
    `Scheduling service ready at ${f.baseUrl}`,
    `  API docs:        ${f.baseUrl}/docs   (OpenAPI document: ${f.baseUrl}/openapi.json)`,
  ];
  if (f.adminTokenFile)
    lines.push(
      `  Operator token:  ${f.adminTokenFile}   (generated for this demo; set ADMIN_TOKEN to choose your own)`,
    );
  if (f.demoTenants.length > 0) {
    lines.push(`  Demo tenants:    ${f.demoTenants.join(', ')}`);
    lines.push(
      f.keysLoggedAbove
        ? '  Their API keys:  logged above, once ("API key for tenant …"); a new one any time: npm run keys -- ' +
            'create --tenant <tenant>'
        : '  Their API keys:  logged on the first start only; a new one any time: npm run keys -- create --tenant ' +
            '<tenant>',
    );
  }
  if (f.demoTenants.includes(DEMO_SLOT_TENANT)) {
    lines.push('  Try it, in another terminal in this folder:');
    lines.push(`    KEY=$(npm run -s keys -- create --tenant ${DEMO_SLOT_TENANT})`);
    lines.push(`    ${demoSlotRequest(f.baseUrl, demoDay(f.now))}`);
  }
  return lines.join('\n');
}
