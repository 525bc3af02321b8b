module.exports = { ...require('../../../jest.preset.js'), displayName: 'pipeline-subscriptions', rootDir: __dirname };
