// The browser suite (the all-in-one app, a real Chromium, the page as a user drives it)
// and the first experience around it (npm run demo).
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'web',
  rootDir: __dirname,
  testMatch: ['<rootDir>/test/**/*.e2e-spec.ts', '<rootDir>/test/**/*.int-spec.ts'],
};
