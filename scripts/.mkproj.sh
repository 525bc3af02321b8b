mkproj () 
{ 
    mkdir -p $1/src;
    rel=$(realpath --relative-to=$1 .);
    cat > $1/project.json <<EOF
{
  "name": "$2",
  "\$schema": "$rel/node_modules/nx/schemas/project-schema.json",
  "sourceRoot": "$1/src",
  "projectType": "${4:-library}",
  "tags": [$3]
}
EOF

    cat > $1/jest.config.js <<EOF
module.exports = { ...require('$rel/jest.preset.js'), displayName: '$2', rootDir: __dirname };
EOF

}
