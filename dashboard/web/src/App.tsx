import { lazy, Suspense, useEffect, useState } from 'react';
import { fetchMeta, type DashboardMeta } from './api.js';
import { LiveIndicator } from './components/LiveIndicator.js';
import { STATUS_WORD } from './format.js';
import { LiveProvider, useLive } from './live.js';
import { Overview } from './pages/Overview.js';
import { Link, useLocation } from './router.js';

// The Health page carries the charting library; the Overview must not wait for it.
const loadHealthPage = () => import('./pages/Health.js');
const HealthPage = lazy(loadHealthPage);

export function App() {
  return (
    <LiveProvider>
      <Shell />
    </LiveProvider>
  );
}

function Shell() {
  const { pathname } = useLocation();
  const { summary } = useLive();
  const [meta, setMeta] = useState<DashboardMeta>();

  useEffect(() => {
    const abort = new AbortController();
    fetchMeta(abort.signal).then(setMeta, () => undefined);
    return () => abort.abort();
  }, []);

  // Fetch the Health page's code while the user reads the Overview.
  useEffect(() => {
    const timer = setTimeout(() => void loadHealthPage(), 1_500);
    return () => clearTimeout(timer);
  }, []);

  useEffect(() => {
    document.title = summary
      ? `${STATUS_WORD[summary.status]} · ${summary.platform} · Ballast`
      : 'Ballast';
  }, [summary]);

  const page = pathname === '/' ? 'overview' : pathname === '/health' ? 'health' : 'missing';

  return (
    <div className="app">
      <header className="topbar">
        <div className="brand">
          <img className="brand-mark" src="/favicon.svg" alt="" />
          <span className="brand-name">Ballast</span>
        </div>
        <nav className="nav" aria-label="Pages">
          <Link
            to="/"
            className="nav-link"
            {...(page === 'overview' ? { 'aria-current': 'page' as const } : {})}
          >
            Overview
          </Link>
          <Link
            to="/health"
            className="nav-link"
            {...(page === 'health' ? { 'aria-current': 'page' as const } : {})}
          >
            Health
          </Link>
        </nav>
        <div className="context" data-testid="context">
          {meta ? (
            <>
              <span className="context-platform">{meta.platform}</span>
              <span className="context-name" title={`Requests go to ${meta.endpoint}`}>
                {meta.context}
              </span>
            </>
          ) : null}
        </div>
        <LiveIndicator refreshSeconds={meta?.refreshSeconds ?? 15} />
      </header>
      <main className="content">
        {page === 'overview' ? <Overview /> : null}
        {page === 'health' ? (
          <Suspense fallback={<div className="loading">Loading charts…</div>}>
            <HealthPage />
          </Suspense>
        ) : null}
        {page === 'missing' ? (
          <div className="empty">
            Nothing lives at {pathname}. Go to the <Link to="/">Overview</Link>.
          </div>
        ) : null}
      </main>
    </div>
  );
}
