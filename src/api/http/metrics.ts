import client from 'prom-client';

/** Prometheus metrics of one process: HTTP traffic by route and status, booking outcomes, job queue depth. */
export function createMetrics(queueDepth: () => Promise<Record<string, number>>) {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const requests = new client.Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const latency = new client.Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const bookings = new client.Counter({
    name: 'booking_outcomes_total',
    help: 'Attempts to book or hold a slot, by outcome',
    labelNames: ['operation', 'outcome'] as const,
    registers: [registry],
  });
  new client.Gauge({
    name: 'job_queue_depth',
    help: 'Jobs waiting in each queue',
    labelNames: ['queue'] as const,
    registers: [registry],
    async collect() {
      try {
        for (const [queue, n] of Object.entries(await queueDepth())) this.set({ queue }, n);
      } catch {
        // The database is down: /health says so; the gauge keeps its last value.
      }
    },
  });
  return {
    registry,
    observeRequest(method: string, route: string, status: number, seconds: number) {
      const labels = { method, route, status: String(status) };
      requests.inc(labels);
      latency.observe(labels, seconds);
    },
    countBooking(operation: string, outcome: string) {
      bookings.inc({ operation, outcome });
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
