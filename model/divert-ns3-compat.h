/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef DIVERT_NS3_COMPAT_H
#define DIVERT_NS3_COMPAT_H

// The differences between the ns-3 releases the module builds with (3.37 to
// 3.48) that the module's sources meet, kept in one place. Internal: not
// installed. (The RouteInput parameter types are read from the base class
// declaration in divert-routing-shim.h.)

#include "ns3/enum.h"

#include <type_traits>
#include <utility>

namespace ns3
{
namespace divert_compat
{

/**
 * True when MakeEnumAccessor takes the enum type as a template argument
 * (ns-3.41 and later: EnumValue is a class template).
 * \tparam E the enum type
 * \tparam M the member pointer type
 */
template <typename E, typename M, typename = void>
struct HasTypedEnumAccessor : std::false_type
{
};

/**
 * \copydoc HasTypedEnumAccessor
 */
template <typename E, typename M>
struct HasTypedEnumAccessor<E, M, std::void_t<decltype(MakeEnumAccessor<E>(std::declval<M>()))>>
    : std::true_type
{
};

/**
 * MakeEnumAccessor for an enum member, in the form this ns-3 wants.
 * \tparam E the enum type
 * \tparam M the member pointer type
 * \param member the member
 * \return the accessor
 */
template <typename E, typename M>
Ptr<const AttributeAccessor>
MakeEnumMemberAccessor(M member)
{
    if constexpr (HasTypedEnumAccessor<E, M>::value)
    {
        return MakeEnumAccessor<E>(member);
    }
    else
    {
        return MakeEnumAccessor(member);
    }
}

} // namespace divert_compat
} // namespace ns3

#endif /* DIVERT_NS3_COMPAT_H */
