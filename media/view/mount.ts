import { createHost, type Host, type ReportOptions } from './host.js';

/** What `mountView` needs of a view. */
export interface MountedView<Debug> {
  debug(): Debug;
  start(): void;
}

/**
 * Mounts a view on `#app` (made when the page has none) once the DOM is there:
 * creates it with the host, hands its debug API to `publish` (a window global
 * for tests), and starts it.
 */
export function mountView<Debug>(create: (root: HTMLElement, host: Host) => MountedView<Debug>, publish: (debug: Debug) => void, report?: ReportOptions): void {
  const mount = (): void => {
    let root = document.getElementById('app');
    if (!root) {
      root = document.createElement('div');
      root.id = 'app';
      document.body.append(root);
    }
    const view = create(root, createHost(report));
    publish(view.debug());
    view.start();
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', mount, { once: true });
  else mount();
}
