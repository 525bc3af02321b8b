module.exports = { ...require('../../../jest.preset.js'), displayName: 'subscriptions-domain', rootDir: __dirname };
