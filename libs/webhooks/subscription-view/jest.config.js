module.exports = { ...require('../../../jest.preset.js'), displayName: 'webhooks-subscription-view', rootDir: __dirname };
