module.exports = { ...require('../../jest.preset.js'), displayName: 'subscription-service', rootDir: __dirname };
