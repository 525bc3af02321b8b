// The deployment checks (compose, Prometheus, Grafana, Kubernetes, Dockerfile,
// the production build). The container suite (deploy/containers) runs only
// with `npm run test:containers`: its files end in .containers-spec.ts.
module.exports = { ...require('../jest.preset.js'), displayName: 'deploy', rootDir: __dirname };
