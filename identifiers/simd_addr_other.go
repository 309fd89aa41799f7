//go:build !(goexperiment.simd && amd64)

package identifiers

// The address scan's SIMD pass where there is none (see
// simd_addr_amd64.go): haveSIMD is false, so it is never called.

func addrLanesSIMD(text []byte, q int, masks *[addrBlocks]uint64) uint64 { return 0 }
