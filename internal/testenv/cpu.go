package testenv

import (
	"syscall"
	"testing"
	"time"
)

// CPUTime returns the CPU time (user and system) the process has used.
func CPUTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// CPUMeter reports a benchmark's CPU time per operation (metric
// "cpu-µs/op"), steadier than its wall time on a shared machine: call it
// before the loop and the function it returns after.
func CPUMeter(b *testing.B) func() {
	c0 := CPUTime()
	return func() {
		b.ReportMetric(float64((CPUTime()-c0).Microseconds())/float64(max(b.N, 1)), "cpu-µs/op")
	}
}
