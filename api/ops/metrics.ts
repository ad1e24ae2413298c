/** Prometheus metrics: request rates and latencies, cases by status, overdue duties, days of calendar data left. */
import type { RequestHandler } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Coverage } from '../../domain/calendar/versions';
import type { CaseProjectionModel } from '../../store/case-projections';

export function createMetrics(cases: CaseProjectionModel, calendar: () => Promise<Coverage>) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency',
    labelNames: ['method', 'route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  new Gauge({
    name: 'whistle_cases',
    help: 'cases by status (from the projection)',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      this.reset();
      const rows = await cases.aggregate<{ _id: string; n: number }>([{ $group: { _id: '$status', n: { $sum: 1 } } }]);
      for (const r of rows) this.set({ status: r._id }, r.n);
    },
  });
  new Gauge({
    name: 'whistle_overdue_cases',
    help: 'open cases with at least one overdue duty',
    registers: [registry],
    async collect() {
      this.set(await cases.countDocuments({ overdue: true }));
    },
  });

  new Gauge({
    name: 'whistle_calendar_days_left',
    help: 'days of working-calendar data left from today: official (the warning counts these) or including provisional years',
    labelNames: ['data'],
    registers: [registry],
    async collect() {
      const { daysLeft } = await calendar();
      this.set({ data: 'official' }, daysLeft.official);
      this.set({ data: 'including_provisional' }, daysLeft.includingProvisional);
    },
  });

  /** Labels by the matched route pattern, never the raw path (ids would explode the label set). */
  const observe: RequestHandler = (req, res, next) => {
    const end = latency.startTimer();
    res.on('finish', () => {
      const route = `${req.baseUrl}${(req.route as { path?: string } | undefined)?.path ?? ''}` || 'unmatched';
      requests.inc({ method: req.method, route, status: String(res.statusCode) });
      end({ method: req.method, route });
    });
    next();
  };

  return { registry, observe };
}
