package testimony_test

import (
	"fmt"

	"github.com/vigie-app/vigie/testimony"
)

func ExampleSuppress() {
	// k = 5: the 3 is below k, and hiding it alone would let it be read
	// as the total minus the others; the smallest other count goes too.
	fmt.Println(testimony.Suppress([]int{12, 3, 0, 7, 9}, 5))
	// Output: [false true false true false]
}
