// Command go-yaml prints the YAML documents on stdin as a JSON array, as
// go-yaml v3 reads them: the YAML reader of kustomize (kyaml), which
// `kubectl kustomize` and `kubectl apply -k` run on afc's Kubernetes output.
// Tests compare what it reads with the strings afc meant to write.
//
// Usage: go-yaml < file.yaml
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"go.yaml.in/yaml/v3"
)

func main() {
	decoder := yaml.NewDecoder(os.Stdin)
	docs := []interface{}{}
	for {
		var doc interface{}
		err := decoder.Decode(&doc)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		docs = append(docs, doc)
	}
	out, err := json.Marshal(docs)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Stdout.Write(out)
}
