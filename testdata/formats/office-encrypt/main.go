// Command office-encrypt writes a password-protected copy of an XLSX
// workbook with excelize, whose writer produces what Excel does for "Encrypt
// with Password": an OLE2 file holding the ECMA-376 agile EncryptionInfo
// and EncryptedPackage streams. It is its own module so that trawl does not
// depend on excelize; make-zencrypted-office.sh runs it.
package main

import (
	"fmt"
	"os"

	"github.com/xuri/excelize/v2"
)

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: office-encrypt in.xlsx out.xlsx password")
		os.Exit(2)
	}
	f, err := excelize.OpenFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer f.Close()
	if err := f.SaveAs(os.Args[2], excelize.Options{Password: os.Args[3]}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
