module.exports = { ...require('../../../jest.preset.js'), displayName: 'subscriptions-feature', rootDir: __dirname };
